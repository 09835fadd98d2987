/**
 * MPREG's public surface: the value types applications use ({@code io.mpreg.api}) and the service provider
 * interfaces plugin authors implement ({@code io.mpreg.api.spi.*}). Requires nothing but {@code java.base}.
 *
 * @since 0.1.0
 */
module io.mpreg.api {
    exports io.mpreg.api;
    exports io.mpreg.api.spi;
    exports io.mpreg.api.spi.transport;
    exports io.mpreg.api.spi.weighting;
    exports io.mpreg.api.spi.fault;
}
