package io.mpreg.federation.internal.queue;

import io.mpreg.api.ClusterId;
import io.mpreg.federation.EventLoop;
import io.mpreg.federation.internal.NodeSettings;
import io.mpreg.federation.internal.link.Links;
import io.mpreg.federation.internal.wire.WireMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The leases other clusters' subscriptions hold on the queues here: a QUEUE_SUBSCRIBE makes (or renews, for five
 * gossip intervals) a consumer of the {@link LocalQueue} that sends what it takes as QUEUE_DELIVER; QUEUE_ACK settles
 * it; a lease not renewed in time ends and its messages become visible again. Loop-thread only.
 */
public final class RemoteConsumers {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteConsumers.class);

    private final EventLoop loop;
    private final Links network;
    private final LocalQueues local;
    private final NodeSettings settings;
    private final ClusterId self;
    private final long leaseNanos;
    private final Map<RemoteKey, RemoteConsumer> consumers = new HashMap<>();

    /** A remote subscription bound to a local queue. */
    private record RemoteKey(ClusterId consumer, long subscription, String queue) {
    }

    public RemoteConsumers(NodeSettings settings, EventLoop loop, Links network, LocalQueues local) {
        this.settings = settings;
        this.loop = loop;
        this.network = network;
        this.local = local;
        this.self = settings.node().cluster();
        this.leaseNanos = settings.gossipInterval().toNanos() * 5;
    }

    /** A subscription on another cluster taking from a local queue. */
    private final class RemoteConsumer implements QueueConsumer {
        final long id = local.nextConsumerId();
        final RemoteKey key;
        final LocalQueue queue;
        int prefetch;
        long expiresAt;

        RemoteConsumer(RemoteKey key, LocalQueue queue, int prefetch) {
            this.key = key;
            this.queue = queue;
            this.prefetch = prefetch;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public int prefetch() {
            return prefetch;
        }

        @Override
        public boolean offer(Lease lease) {
            boolean sent = network.sendToward(new WireMessage.QueueDeliver(self, key.consumer, key.subscription,
                    lease.receipt(), lease.receiveCount(), lease.origin(), lease.guarantee(), lease.clock(),
                    lease.message(), List.of(self)));
            if (!sent) {
                LOG.debug("{}: no route to {} for '{}' message {}", settings.node(), key.consumer, key.queue,
                        lease.message().id());
            }
            return sent;
        }
    }

    public void onQueueSubscribe(WireMessage.QueueSubscribe s) {
        RemoteKey key = new RemoteKey(s.consumer(), s.subscription(), s.queue());
        if (!s.active()) {
            drop(key, "unsubscribed");
            return;
        }
        LocalQueue q = local.get(s.queue());
        if (q == null) {
            return; // deleted, or never here: the consumer re-binds when the advertisements say so
        }
        RemoteConsumer c = consumers.get(key);
        if (c == null) {
            c = new RemoteConsumer(key, q, s.prefetch());
            consumers.put(key, c);
            q.addConsumer(c);
            LOG.debug("{}: {} subscription {} takes from '{}' (consumer {})", settings.node(), s.consumer(),
                    s.subscription(), s.queue(), c.id);
        }
        c.prefetch = s.prefetch();
        c.expiresAt = loop.nanoTime() + leaseNanos;
        local.pump(q); // the consumer may have been unreachable: try again
    }

    public void onQueueAck(WireMessage.QueueAck a) {
        RemoteConsumer c = consumers.get(new RemoteKey(a.consumer(), a.subscription(), a.queue()));
        LocalQueue q = local.get(a.queue());
        if (c == null || q == null || c.queue != q) {
            return;
        }
        switch (a.settle()) {
            case WireMessage.QueueAck.ACK -> q.ack(a.receipt(), c.id);
            case WireMessage.QueueAck.RELEASE -> q.release(a.receipt(), c.id);
            default -> q.giveBack(a.receipt(), c.id);
        }
        local.pump(q);
    }

    /** Ends the leases not renewed by {@code now}. */
    public void expire(long now) {
        for (Map.Entry<RemoteKey, RemoteConsumer> e : List.copyOf(consumers.entrySet())) {
            if (e.getValue().expiresAt <= now) {
                drop(e.getKey(), "lease expired");
            }
        }
    }

    /** Forgets the leases on queue {@code name}, which is being deleted (its consumers go with it). */
    public void forget(String name) {
        consumers.keySet().removeIf(k -> k.queue.equals(name));
    }

    private void drop(RemoteKey key, String why) {
        RemoteConsumer c = consumers.remove(key);
        if (c != null) {
            LOG.debug("{}: {} subscription {} no longer takes from '{}' ({})", settings.node(), key.consumer,
                    key.subscription, key.queue, why);
            if (local.get(key.queue) == c.queue) {
                c.queue.removeConsumer(c.id);
                local.pump(c.queue);
            }
        }
    }
}
