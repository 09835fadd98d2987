package io.mpreg.federation.internal.queue;

import io.mpreg.federation.internal.DedupWindow;
import io.mpreg.api.ClusterId;
import io.mpreg.api.MessageId;
import io.mpreg.federation.Delivery;
import io.mpreg.federation.EventLoop;
import io.mpreg.federation.internal.NodeSettings;
import io.mpreg.federation.internal.link.Links;
import io.mpreg.federation.internal.wire.WireMessage;
import io.mpreg.federation.queue.AckOutcome;
import io.mpreg.federation.queue.QueueInfo;
import io.mpreg.federation.queue.QueuePattern;
import io.mpreg.federation.queue.SubscribeOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The subscriptions of this node's applications: each bound to every queue matching its pattern, here (a local
 * consumer of the {@link LocalQueue}) and on other clusters (a lease asked for with QUEUE_SUBSCRIBE and renewed every
 * gossip interval), re-bound as {@link Discovery} sees queues appear and disappear. Messages of remote queues arrive
 * here, are handed to the application once and settled back to their owner. Loop-thread only.
 */
public final class Subscriptions {
    private static final Logger LOG = LoggerFactory.getLogger(Subscriptions.class);

    private final NodeSettings settings;
    private final EventLoop loop;
    private final Links network;
    private final LocalQueues local;
    private final Discovery discovery;
    private final ClusterId self;
    private final Map<Long, Subscription> subscriptions = new LinkedHashMap<>();

    /** A queue a subscription is bound to. */
    private record Binding(ClusterId cluster, String queue) {
    }

    /**
     * One message in one cluster's queue: the same message id in two clusters' queues (a broadcast, or a send to
     * several targets) is two copies, each handed and settled on its own.
     */
    private record Copy(ClusterId owner, String queue, MessageId id) {
        static Copy of(WireMessage.QueueDeliver m) {
            return new Copy(m.owner(), m.message().queue(), m.message().id());
        }
    }

    public Subscriptions(NodeSettings settings, EventLoop loop, Links network, LocalQueues local,
                         Discovery discovery) {
        this.settings = settings;
        this.loop = loop;
        this.network = network;
        this.local = local;
        this.discovery = discovery;
        this.self = settings.node().cluster();
    }

    /** A subscription of an application on this node. */
    private final class Subscription {
        final long id;
        final QueuePattern pattern;
        final SubscribeOptions options;
        final Consumer<Delivery> handler;
        final SerialExecutor executor;
        final Set<Binding> bindings = new HashSet<>();
        final Map<String, LocalConsumer> localConsumers = new HashMap<>();
        /** Remote copies the application acknowledged: a redelivery of one is acknowledged again, not handed. */
        final DedupWindow<Copy, Boolean> acked;
        /**
         * Remote copies handed to the application and not settled yet, each with its latest lease: a redelivery
         * while the application holds it (the owner's visibility timeout passed) is settled with the application's
         * answer, under the newer lease.
         */
        final Map<Copy, WireMessage.QueueDeliver> inHand = new HashMap<>();

        Subscription(long id, QueuePattern pattern, SubscribeOptions options, Consumer<Delivery> handler) {
            this.id = id;
            this.pattern = pattern;
            this.options = options;
            this.handler = handler;
            this.executor = new SerialExecutor(settings.subscribers());
            this.acked = new DedupWindow<>(settings.dedupWindow().toNanos(), settings.dedupCapacity(), loop::nanoTime);
        }

        void hand(Delivery d) {
            executor.execute(() -> {
                try {
                    handler.accept(d);
                    if (!options.manualAck() && !d.isSettled()) {
                        d.ack();
                    }
                } catch (RuntimeException e) {
                    LOG.warn("{}: subscriber of '{}' threw on {}; released", settings.node(), d.message().queue(),
                            d.message().id(), e);
                    if (!d.isSettled()) {
                        d.release();
                    }
                }
            });
        }
    }

    /** A local subscription taking from a local queue. */
    private final class LocalConsumer implements QueueConsumer {
        final long id = local.nextConsumerId();
        final Subscription subscription;
        final LocalQueue queue;

        LocalConsumer(Subscription subscription, LocalQueue queue) {
            this.subscription = subscription;
            this.queue = queue;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public int prefetch() {
            return subscription.options.prefetch();
        }

        @Override
        public boolean offer(Lease lease) {
            subscription.hand(new Delivery(lease.message(), lease.origin(), lease.guarantee(), lease.clock(), self,
                    lease.receiveCount(), ack -> settings.offLoop(settleLocal(queue, lease.receipt(), id, ack))));
            return true;
        }
    }

    private CompletableFuture<AckOutcome> settleLocal(LocalQueue q, long receipt, long consumer, boolean ack) {
        CompletableFuture<AckOutcome> out = new CompletableFuture<>();
        loop.execute(() -> {
            if (local.get(q.name()) != q) {
                out.complete(AckOutcome.STALE);
                return;
            }
            out.complete(ack ? q.ack(receipt, consumer) : q.release(receipt, consumer));
            local.pump(q);
        });
        return out;
    }

    /** Subscribes; returns what ends the subscription (to run on the loop). */
    public Runnable subscribe(QueuePattern pattern, SubscribeOptions options, Consumer<Delivery> handler) {
        Subscription s = new Subscription(settings.random().nextLong(), pattern, options, handler);
        subscriptions.put(s.id, s);
        rebind(s);
        return () -> {
            if (subscriptions.remove(s.id) != null) {
                for (Binding b : List.copyOf(s.bindings)) {
                    unbind(s, b);
                }
            }
        };
    }

    /** Binds every subscription to the queues matching it now, and lets go of those that went away. */
    public void rebindAll() {
        for (Subscription s : List.copyOf(subscriptions.values())) {
            rebind(s);
        }
    }

    /** Renews the leases of every binding to another cluster's queue (the gossip tick). */
    public void renewLeases() {
        for (Subscription s : subscriptions.values()) {
            for (Binding b : s.bindings) {
                if (!b.cluster.equals(self)) {
                    network.sendToward(new WireMessage.QueueSubscribe(self, s.id, b.queue, b.cluster,
                            s.options.prefetch(), true, List.of(self)));
                }
            }
        }
    }

    private void rebind(Subscription s) {
        Set<Binding> wanted = new HashSet<>();
        for (QueueInfo q : discovery.discover(s.pattern)) {
            if (!s.options.localOnly() || q.cluster().equals(self)) {
                wanted.add(new Binding(q.cluster(), q.name()));
            }
        }
        for (Binding b : List.copyOf(s.bindings)) {
            if (!wanted.contains(b)) {
                unbind(s, b);
            }
        }
        for (Binding b : wanted) {
            if (s.bindings.add(b)) {
                LOG.debug("{}: subscription {} binds to {}'s '{}'", settings.node(), s.id, b.cluster, b.queue);
                if (b.cluster.equals(self)) {
                    LocalQueue q = local.get(b.queue);
                    LocalConsumer c = new LocalConsumer(s, q);
                    s.localConsumers.put(b.queue, c);
                    q.addConsumer(c);
                    local.pump(q);
                } else {
                    network.sendToward(new WireMessage.QueueSubscribe(self, s.id, b.queue, b.cluster,
                            s.options.prefetch(), true, List.of(self)));
                }
            }
        }
    }

    private void unbind(Subscription s, Binding b) {
        s.bindings.remove(b);
        LOG.debug("{}: subscription {} lets go of {}'s '{}'", settings.node(), s.id, b.cluster, b.queue);
        if (b.cluster.equals(self)) {
            LocalConsumer c = s.localConsumers.remove(b.queue);
            if (c != null && local.get(b.queue) == c.queue) {
                c.queue.removeConsumer(c.id);
                local.pump(c.queue);
            }
        } else {
            network.sendToward(new WireMessage.QueueSubscribe(self, s.id, b.queue, b.cluster, s.options.prefetch(),
                    false, List.of(self)));
        }
    }

    /** A message of a remote queue for one of this node's subscriptions. */
    public void onQueueDeliver(WireMessage.QueueDeliver m) {
        Subscription s = subscriptions.get(m.subscription());
        if (s == null || !s.bindings.contains(new Binding(m.owner(), m.message().queue()))) {
            // not subscribed (any more): end the owner's lease now and give the message back unread
            LOG.debug("{}: returned {} of {}'s '{}' unread: subscription {} not bound", settings.node(),
                    m.message().id(), m.owner(), m.message().queue(), m.subscription());
            network.sendToward(new WireMessage.QueueSubscribe(self, m.subscription(), m.message().queue(), m.owner(),
                    1, false, List.of(self)));
            sendQueueAck(m, WireMessage.QueueAck.RETURN);
            return;
        }
        Copy copy = Copy.of(m);
        if (s.acked.get(copy) != null) {
            sendQueueAck(m, WireMessage.QueueAck.ACK); // the application had it; the first acknowledgement was lost
            return;
        }
        if (s.inHand.put(copy, m) != null) {
            return; // the application holds it now; its answer settles this newer lease
        }
        s.hand(new Delivery(m.message(), m.origin(), m.guarantee(), m.clock(), m.owner(), m.receiveCount(),
                ack -> {
                    CompletableFuture<AckOutcome> out = new CompletableFuture<>();
                    loop.execute(() -> {
                        WireMessage.QueueDeliver latest = s.inHand.remove(copy);
                        if (ack) {
                            s.acked.put(copy, Boolean.TRUE);
                        }
                        WireMessage.QueueDeliver lease = latest != null ? latest : m;
                        out.complete(sendQueueAck(lease, ack ? WireMessage.QueueAck.ACK
                                : WireMessage.QueueAck.RELEASE) ? AckOutcome.FORWARDED : AckOutcome.UNREACHABLE);
                    });
                    return settings.offLoop(out);
                }));
    }

    private boolean sendQueueAck(WireMessage.QueueDeliver m, int settle) {
        return network.sendToward(new WireMessage.QueueAck(self, m.owner(), m.subscription(), m.message().queue(),
                m.receipt(), settle, List.of(self)));
    }
}
