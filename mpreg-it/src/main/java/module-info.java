/**
 * MPREG's integration module: the transport contract kit and the fault simulator (main sources, for plugin
 * authors; arriving with their issues) and the integration suite (tests, run on the module path and on the class
 * path).
 *
 * @since 0.1.0
 */
module io.mpreg.it {
    requires io.mpreg.api;
    requires io.mpreg.consensus;
    requires io.mpreg.federation;
    requires org.junit.jupiter.api;
    // thread and allocation accounting for the kits' resource checks (threads left behind, bytes per vote)
    requires java.management;
    requires jdk.management;

    exports io.mpreg.it;
}
