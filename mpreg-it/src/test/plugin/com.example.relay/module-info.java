/**
 * A third-party transport plugin, built by PluginPathIT outside MPREG's build the way a plugin author builds theirs:
 * "relay" carries frames over whichever other transport plugin is found first (tcp here) and counts them. It needs
 * the API alone.
 */
module com.example.relay {
    requires io.mpreg.api;

    uses io.mpreg.api.spi.transport.TransportProvider;

    provides io.mpreg.api.spi.transport.TransportProvider with com.example.relay.RelayTransportProvider;
}
