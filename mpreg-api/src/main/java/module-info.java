/**
 * MPREG's public surface: the value types applications use ({@code io.mpreg.api}) and the service provider
 * interfaces plugin authors implement ({@code io.mpreg.api.spi.*}). Requires nothing but {@code java.base}; reads
 * Bouncy Castle's provider module when it is present, for faster Ed25519 ({@code VoteKeys}).
 *
 * @since 0.1.0
 */
module io.mpreg.api {
    requires static org.bouncycastle.provider;

    exports io.mpreg.api;
    exports io.mpreg.api.spi;
    exports io.mpreg.api.spi.transport;
    exports io.mpreg.api.spi.weighting;
    exports io.mpreg.api.spi.fault;
}
