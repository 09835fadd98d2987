/**
 * The transport contract kit (TCK): JUnit 5 tests that every {@link io.mpreg.api.spi.transport.TransportProvider}
 * runs in its own test phase, plaintext ({@link io.mpreg.tck.TransportContract}) and on mutual TLS
 * ({@link io.mpreg.tck.TlsTransportContract}), with the helpers they are built from. Depends on the API and JUnit
 * only, so a third-party plugin needs nothing else of MPREG to run it.
 *
 * @since 0.3.0
 */
module io.mpreg.tck {
    requires transitive io.mpreg.api;
    requires transitive org.junit.jupiter.api;
    // thread and file-descriptor accounting for the kit's resource checks (threads left behind after close)
    requires java.management;
    requires jdk.management;

    exports io.mpreg.tck;
    // JUnit runs the kit's test methods reflectively
    opens io.mpreg.tck to org.junit.platform.commons;
}
