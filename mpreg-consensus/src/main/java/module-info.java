/**
 * MPREG's consensus core: weighted voting rounds with exact-fraction and Byzantine quorums, equivocation
 * detection, and the default weighting strategies and fault detectors, offered through the API's SPIs. Pure
 * logic: no threads, no sockets, time from an injected {@link io.mpreg.consensus.Ticker}.
 *
 * @since 0.1.0
 */
module io.mpreg.consensus {
    requires transitive io.mpreg.api;

    exports io.mpreg.consensus to io.mpreg.federation, io.mpreg.it;

    provides io.mpreg.api.spi.weighting.WeightingStrategyProvider with
            io.mpreg.consensus.internal.StaticWeightingProvider,
            io.mpreg.consensus.internal.ReliabilityWeightingProvider;
    provides io.mpreg.api.spi.fault.FaultDetectorProvider with
            io.mpreg.consensus.internal.EquivocationDetectorProvider;
}
