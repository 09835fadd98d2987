/**
 * The {@code mpreg} command: {@code demo} (a local federation in one JVM), {@code node} (one node of a real
 * federation, with its configuration file and optional Prometheus endpoint), {@code keys}, {@code verify-evidence}
 * and {@code verify-certificate}. A client of the public API only: it finds transports, weighting strategies and
 * fault detectors through the federation's {@link java.util.ServiceLoader} lookups, so a plugin on the module path
 * runs by name.
 *
 * @since 0.3.0
 */
module io.mpreg.launcher {
    requires io.mpreg.federation;
    requires org.slf4j;
    requires jdk.httpserver;
    requires java.net.http;
}
