package io.mpreg.tck;

import io.mpreg.api.NodeId;
import io.mpreg.api.spi.transport.Transport;
import io.mpreg.api.spi.transport.TransportConfig;
import io.mpreg.api.spi.transport.TransportProvider;

/**
 * One node of a contract-kit test: its config, its current transport and what that transport delivered. A node can
 * be crashed and started again on the same address with a fresh transport and receiver.
 *
 * @since 0.1.0
 */
public final class TckNode {
    private final TransportProvider provider;
    private final TransportConfig config;
    private volatile Transport transport;
    private volatile RecordingReceiver receiver;

    TckNode(TransportProvider provider, TransportConfig config) {
        this.provider = provider;
        this.config = config;
        this.transport = provider.create(config);
        this.receiver = new RecordingReceiver();
    }

    public NodeId id() {
        return config.localNode();
    }

    public TransportConfig config() {
        return config;
    }

    public Transport transport() {
        return transport;
    }

    public RecordingReceiver receiver() {
        return receiver;
    }

    /** Starts the current transport with the current receiver. */
    public TckNode start() {
        transport.start(receiver);
        return this;
    }

    /** Replaces the (closed) transport with a fresh one on the same config and a fresh receiver, and starts it. */
    public TckNode restart() {
        transport.close();
        transport = provider.create(config);
        receiver = new RecordingReceiver();
        return start();
    }

    public void close() {
        transport.close();
    }

    @Override
    public String toString() {
        return id() + " " + transport.peers();
    }
}
