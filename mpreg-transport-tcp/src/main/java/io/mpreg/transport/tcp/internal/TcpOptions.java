package io.mpreg.transport.tcp.internal;

import io.mpreg.api.spi.PluginOptions;

import java.time.Duration;

/**
 * The tcp plugin's own settings, read from {@link io.mpreg.api.spi.transport.TransportConfig#options()}:
 * <ul>
 *   <li>{@code tcp.maxPendingHandshakes} (default 16): inbound connections allowed to be in their hello at once;
 *       more are closed at once, so unauthenticated sockets cannot pile up threads;</li>
 *   <li>{@code tcp.minReceiveBytesPerSecond} (default 65536): a frame must arrive within the failure timeout plus
 *       its length at this rate, or the sender is cut off as too slow (slow-loris);</li>
 *   <li>{@code tcp.closeLingerMillis} (default 1000): how long {@code close()} lets queued frames drain;</li>
 *   <li>{@code tcp.socketBufferBytes} (default 0: the operating system's): SO_SNDBUF and SO_RCVBUF;</li>
 *   <li>{@code tls}, {@code tls.*}: see {@link TlsSettings}.</li>
 * </ul>
 */
record TcpOptions(int maxPendingHandshakes, long minReceiveBytesPerSecond, Duration closeLinger,
                  int socketBufferBytes, TlsSettings tls) {

    static TcpOptions from(PluginOptions options) {
        return new TcpOptions((int) options.longValue("tcp.maxPendingHandshakes", 16, 1, 1024),
                options.longValue("tcp.minReceiveBytesPerSecond", 64 * 1024, 1, Long.MAX_VALUE),
                Duration.ofMillis(options.longValue("tcp.closeLingerMillis", 1000, 0, 60_000)),
                (int) options.longValue("tcp.socketBufferBytes", 0, 0, 64 * 1024 * 1024),
                TlsSettings.fromOptions(options));
    }
}
