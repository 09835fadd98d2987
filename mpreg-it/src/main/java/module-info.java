/**
 * MPREG's integration module: the transport contract kit ({@code io.mpreg.it.tck}) and the deterministic fault
 * simulator ({@code io.mpreg.it.sim}), main sources for plugin authors, and the integration suite (tests, run on the
 * module path and on the class path).
 *
 * @since 0.1.0
 */
module io.mpreg.it {
    requires transitive io.mpreg.api;
    requires io.mpreg.consensus;
    requires io.mpreg.federation;
    requires transitive org.junit.jupiter.api;
    // thread and allocation accounting for the kits' resource checks (threads left behind, bytes per vote)
    requires java.management;
    requires jdk.management;

    exports io.mpreg.it;
    exports io.mpreg.it.tck;
    exports io.mpreg.it.sim;
    // JUnit runs the contract kit's test methods reflectively
    opens io.mpreg.it.tck to org.junit.platform.commons;
}
