/**
 * MPREG's deterministic fault simulator ({@code io.mpreg.it.sim}): whole federations of real nodes on one thread, a
 * virtual clock and a simulated network, for plugin authors as much as for MPREG's own tests. The module's tests are
 * the cross-module integration suite, run on the module path and on the class path.
 *
 * @since 0.1.0
 */
module io.mpreg.it {
    requires transitive io.mpreg.api;
    requires transitive io.mpreg.federation;
    requires io.mpreg.consensus;
    // the suite's allocation counts (com.sun.management.ThreadMXBean); present at run time through java.management
    requires static jdk.management;

    exports io.mpreg.it.sim;
}
