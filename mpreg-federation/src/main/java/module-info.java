/**
 * The federation node: gateway links, wire codec, routing, the delivery coordinator and federated queues
 * ({@code io.mpreg.federation.queue}). Loads the three plugin kinds through {@link java.util.ServiceLoader}.
 *
 * @since 0.1.0
 */
module io.mpreg.federation {
    requires transitive io.mpreg.api;
    requires io.mpreg.consensus;
    requires org.slf4j;
    requires com.esotericsoftware.kryo;
    requires com.github.benmanes.caffeine;
    // resolved here so that io.mpreg.api (which requires it statically) signs and verifies votes with it
    requires org.bouncycastle.provider;
    requires java.management;

    exports io.mpreg.federation;
    exports io.mpreg.federation.queue;
    exports io.mpreg.federation.storage;
    // the integration suite's rogue member encodes the frames it forges with the node's own codec
    exports io.mpreg.federation.internal.wire to io.mpreg.it;

    uses io.mpreg.api.spi.transport.TransportProvider;
    uses io.mpreg.api.spi.weighting.WeightingStrategyProvider;
    uses io.mpreg.api.spi.fault.FaultDetectorProvider;
}
