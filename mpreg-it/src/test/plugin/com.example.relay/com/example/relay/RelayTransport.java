package com.example.relay;

import io.mpreg.api.NodeId;
import io.mpreg.api.spi.transport.FrameReceiver;
import io.mpreg.api.spi.transport.PeerState;
import io.mpreg.api.spi.transport.SendStatus;
import io.mpreg.api.spi.transport.Transport;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Every call goes to the carrying transport; frames accepted are counted and the count logged at close. */
final class RelayTransport implements Transport {
    private static final System.Logger LOG = System.getLogger(RelayTransport.class.getName());
    private final Transport inner;
    private final LongAdder frames = new LongAdder();

    RelayTransport(Transport inner) {
        this.inner = inner;
    }

    @Override
    public NodeId localNode() {
        return inner.localNode();
    }

    @Override
    public void start(FrameReceiver receiver) {
        inner.start(receiver);
    }

    @Override
    public InetSocketAddress boundAddress() {
        return inner.boundAddress();
    }

    @Override
    public SendStatus send(NodeId peer, byte[] frame) {
        SendStatus status = inner.send(peer, frame);
        if (status == SendStatus.ACCEPTED) {
            frames.increment();
        }
        return status;
    }

    @Override
    public boolean disconnect(NodeId peer, String reason) {
        return inner.disconnect(peer, reason);
    }

    @Override
    public Map<NodeId, PeerState> peers() {
        return inner.peers();
    }

    @Override
    public void close() {
        inner.close();
        LOG.log(System.Logger.Level.INFO, "relay {0}: {1} frames carried", localNode(), frames.sum());
    }
}
