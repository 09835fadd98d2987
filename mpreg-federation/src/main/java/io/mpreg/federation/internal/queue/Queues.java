package io.mpreg.federation.internal.queue;

import io.mpreg.federation.internal.NodeSettings;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.Message;
import io.mpreg.api.MessageId;
import io.mpreg.api.VectorClock;
import io.mpreg.federation.Delivery;
import io.mpreg.federation.EventLoop;
import io.mpreg.federation.internal.link.Links;
import io.mpreg.federation.internal.wire.WireMessage;
import io.mpreg.federation.queue.AckOutcome;
import io.mpreg.federation.queue.QueueConfig;
import io.mpreg.federation.queue.QueueInfo;
import io.mpreg.federation.queue.QueuePattern;
import io.mpreg.federation.queue.QueueStatistics;
import io.mpreg.federation.queue.SubscribeOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The federated queues of a node: its local queues (each a {@link LocalQueue} pumped on the loop's clock), their
 * advertisements (flooded; other nodes' are kept by {@link Advertisements}), the subscriptions of this node's applications (bound to every matching queue here and elsewhere,
 * re-bound as queues appear and disappear) and the remote subscriptions that take messages from the queues here
 * (leases renewed every gossip interval). Loop-thread only.
 */
public final class Queues {
    private static final Logger LOG = LoggerFactory.getLogger(Queues.class);
    public static final String DEAD_LETTER_REASON = "mpreg-dead-letter-reason";
    public static final String DEAD_LETTER_SOURCE = "mpreg-dead-letter-queue";

    private final NodeSettings settings;
    private final EventLoop loop;
    private final Links network;
    private final ClusterId self;
    private final long leaseNanos;
    private final Map<String, LocalQueue> local = new TreeMap<>();
    private final Map<String, EventLoop.Timer> wakeTimers = new HashMap<>();
    private final Map<String, Long> wakeAt = new HashMap<>();
    private final Advertisements advertised;
    private final Map<Long, Subscription> subscriptions = new LinkedHashMap<>();
    private final Map<RemoteKey, RemoteConsumer> remoteConsumers = new HashMap<>();
    private long adSequence;
    private long consumerIds;

    /** A remote subscription bound to a local queue. */
    private record RemoteKey(ClusterId consumer, long subscription, String queue) {
    }

    /** A queue a subscription is bound to. */
    private record Binding(ClusterId cluster, String queue) {
    }

    public Queues(NodeSettings settings, EventLoop loop, Links network) {
        this.settings = settings;
        this.loop = loop;
        this.network = network;
        this.self = settings.node().cluster();
        this.leaseNanos = settings.gossipInterval().toNanos() * 5;
        this.adSequence = settings.wallClock().millis() * 1000; // a restarted node's advertisements are newer
        this.advertised = new Advertisements(settings.node());
    }

    // ---- local queues ----

    /** Creates a local queue; the same definition again is a no-op, another definition for the name an error. */
    public QueueInfo create(QueueConfig config) {
        LocalQueue existing = local.get(config.name());
        if (existing != null) {
            if (!existing.config().equals(config)) {
                throw new IllegalStateException("queue '" + config.name() + "' exists on cluster " + self
                        + " with another definition: " + existing.config() + "; delete it first");
            }
            return info(existing);
        }
        LocalQueue q = new LocalQueue(config, loop::nanoTime, settings.wallClock()::instant, this::deadLetter,
                settings.retryMin().toNanos(), settings.dedupCapacity());
        local.put(config.name(), q);
        LOG.info("{}: created queue {}", settings.node(), config);
        queuesChanged();
        return info(q);
    }

    /** Deletes a local queue, its messages and its consumers; the withdrawal spreads at once. */
    public boolean delete(String name) {
        LocalQueue q = local.remove(name);
        if (q == null) {
            return false;
        }
        EventLoop.Timer t = wakeTimers.remove(name);
        if (t != null) {
            t.cancel();
        }
        wakeAt.remove(name);
        remoteConsumers.keySet().removeIf(k -> k.queue.equals(name));
        int dropped = q.clear();
        LOG.info("{}: deleted queue '{}' ({} messages dropped)", settings.node(), name, dropped);
        queuesChanged();
        return true;
    }

    public boolean exists(String name) {
        return local.containsKey(name);
    }

    /** Whether a message to local queue {@code name} would fit now (false if there is no such queue). */
    public boolean hasRoom(String name) {
        LocalQueue q = local.get(name);
        return q != null && q.hasRoom();
    }

    /** Whether message {@code id} was accepted by local queue {@code name} inside its dedup window. */
    public boolean seen(String name, MessageId id) {
        LocalQueue q = local.get(name);
        return q != null && q.seen(id);
    }

    /**
     * Offers a message to local queue {@code message.queue()}; {@code null} if there is none. See
     * {@link LocalQueue#enqueue}.
     */
    public LocalQueue.Accept enqueue(Message message, ClusterId origin, DeliveryGuarantee guarantee, VectorClock clock,
                              long token, int requiredAcks, Runnable onComplete, boolean overCapacity) {
        LocalQueue q = local.get(message.queue());
        if (q == null) {
            return null;
        }
        LocalQueue.Accept a = q.enqueue(message, origin, guarantee, clock, token, requiredAcks, onComplete,
                overCapacity);
        if (a == LocalQueue.Accept.ACCEPTED) {
            pump(q);
        }
        return a;
    }

    public int capacity(String name) {
        LocalQueue q = local.get(name);
        return q == null ? 0 : q.config().capacity();
    }

    public SortedMap<String, QueueStatistics> statistics() {
        SortedMap<String, QueueStatistics> out = new TreeMap<>();
        local.forEach((n, q) -> out.put(n, q.statistics()));
        return out;
    }

    private void deadLetter(LocalQueue from, Message message, ClusterId origin, String reason) {
        String dlq = from.config().deadLetterQueue();
        if (dlq.isEmpty()) {
            LOG.warn("{}: dropped dead letter {} ({}; queue '{}' has no dead-letter queue)", settings.node(),
                    message.id(), reason, from.name());
            return;
        }
        if (!local.containsKey(dlq)) {
            create(QueueConfig.fifo(dlq).withMaxReceives(0).withDeadLetterQueue(""));
        }
        Map<String, String> headers = new LinkedHashMap<>(message.headers());
        headers.put(DEAD_LETTER_REASON, reason);
        headers.put(DEAD_LETTER_SOURCE, from.name());
        Message letter = new Message(message.id(), dlq, message.payload(), headers, message.priority(),
                java.time.Duration.ZERO, null);
        LocalQueue.Accept a = enqueue(letter, origin, DeliveryGuarantee.AT_LEAST_ONCE, null,
                settings.random().nextLong(), 1, null, true);
        if (a != LocalQueue.Accept.ACCEPTED) {
            LOG.warn("{}: dead-letter queue '{}' did not take {} ({})", settings.node(), dlq, message.id(), a);
        }
    }

    /** Pumps {@code q} and makes sure the loop wakes it when its next message becomes due. */
    private void pump(LocalQueue q) {
        long wake = q.pump();
        if (wake == Long.MAX_VALUE) {
            return;
        }
        Long scheduled = wakeAt.get(q.name());
        if (scheduled != null && scheduled <= wake) {
            return;
        }
        EventLoop.Timer old = wakeTimers.get(q.name());
        if (old != null) {
            old.cancel();
        }
        wakeAt.put(q.name(), wake);
        wakeTimers.put(q.name(), loop.schedule(Math.max(0, wake - loop.nanoTime()), () -> {
            wakeTimers.remove(q.name());
            wakeAt.remove(q.name());
            if (local.get(q.name()) == q) {
                pump(q);
            }
        }));
    }

    // ---- advertisements and discovery ----

    /** This node's advertisement, with a new sequence number. */
    public WireMessage.QueueAds ownAds() {
        List<WireMessage.QueueAd> ads = new ArrayList<>();
        local.values().forEach(q -> ads.add(new WireMessage.QueueAd(q.name(), q.config().type())));
        return new WireMessage.QueueAds(settings.node(), ++adSequence, leaseNanos / 1_000_000, ads);
    }

    /** Takes another node's advertisement; true if it was new (to be flooded on). */
    public boolean onAds(WireMessage.QueueAds ads) {
        if (!advertised.accept(ads, loop.nanoTime())) {
            return false;
        }
        rebindAll();
        return true;
    }

    /** The gossip tick: refresh leases, expire stale advertisements and remote consumers, re-bind. */
    public void tick() {
        long now = loop.nanoTime();
        boolean expired = advertised.expire(now);
        for (Map.Entry<RemoteKey, RemoteConsumer> e : List.copyOf(remoteConsumers.entrySet())) {
            if (e.getValue().expiresAt <= now) {
                dropRemoteConsumer(e.getKey(), "lease expired");
            }
        }
        if (expired) {
            rebindAll();
        }
        for (Subscription s : subscriptions.values()) {
            for (Binding b : s.bindings) {
                if (!b.cluster.equals(self)) {
                    network.sendToward(new WireMessage.QueueSubscribe(self, s.id, b.queue, b.cluster,
                            s.options.prefetch(), true, List.of(self)));
                }
            }
        }
        network.flood(ownAds(), null);
    }

    /** Every queue matching {@code pattern} that this node knows of: its own and those advertised to it. */
    public List<QueueInfo> discover(QueuePattern pattern) {
        SortedSet<QueueInfo> out = new TreeSet<>();
        local.values().stream().filter(q -> pattern.matches(q.name())).forEach(q -> out.add(info(q)));
        advertised.matching(pattern, loop.nanoTime(), out::add);
        return List.copyOf(out);
    }

    /** The clusters that hold a queue named {@code name}, as far as this node knows. */
    public SortedSet<ClusterId> owners(String name) {
        SortedSet<ClusterId> out = new TreeSet<>();
        discover(QueuePattern.of(name)).forEach(i -> out.add(i.cluster()));
        return out;
    }

    private QueueInfo info(LocalQueue q) {
        return new QueueInfo(self, q.name(), q.config().type());
    }

    private void queuesChanged() {
        rebindAll();
        network.flood(ownAds(), null);
    }

    // ---- subscriptions of this node's applications ----

    /** A subscription of an application on this node. */
    private final class Subscription {
        final long id;
        final QueuePattern pattern;
        final SubscribeOptions options;
        final Consumer<Delivery> handler;
        final SerialExecutor executor;
        final Set<Binding> bindings = new HashSet<>();
        final Map<String, LocalConsumer> localConsumers = new HashMap<>();
        /** Remote messages the application acknowledged: a redelivery of one is acknowledged again, not handed. */
        final Cache<MessageId, Boolean> acked;
        /** Remote messages handed to the application and not settled yet. */
        final Set<MessageId> inHand = new HashSet<>();

        Subscription(long id, QueuePattern pattern, SubscribeOptions options, Consumer<Delivery> handler) {
            this.id = id;
            this.pattern = pattern;
            this.options = options;
            this.handler = handler;
            this.executor = new SerialExecutor(settings.subscribers());
            this.acked = Caffeine.newBuilder().expireAfterWrite(settings.dedupWindow())
                    .maximumSize(settings.dedupCapacity()).ticker(loop::nanoTime).executor(Runnable::run).build();
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
    private final class LocalConsumer implements LocalQueue.Consumer {
        final long id = ++consumerIds;
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
        public boolean offer(LocalQueue.Lease lease) {
            subscription.hand(new Delivery(lease.message(), lease.origin(), lease.guarantee(), lease.clock(), self,
                    lease.receiveCount(), ack -> settleLocal(queue, lease.receipt(), id, ack)));
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
            pump(q);
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

    private void rebindAll() {
        for (Subscription s : List.copyOf(subscriptions.values())) {
            rebind(s);
        }
    }

    private void rebind(Subscription s) {
        Set<Binding> wanted = new HashSet<>();
        for (QueueInfo q : discover(s.pattern)) {
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
                    pump(q);
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
                pump(c.queue);
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
        MessageId id = m.message().id();
        if (s.acked.getIfPresent(id) != null) {
            sendQueueAck(m, WireMessage.QueueAck.ACK); // the application had it; the first acknowledgement was lost
            return;
        }
        if (!s.inHand.add(id)) {
            return; // the application holds it now; its acknowledgement settles it
        }
        s.hand(new Delivery(m.message(), m.origin(), m.guarantee(), m.clock(), m.owner(), m.receiveCount(),
                ack -> {
                    CompletableFuture<AckOutcome> out = new CompletableFuture<>();
                    loop.execute(() -> {
                        s.inHand.remove(id);
                        if (ack) {
                            s.acked.put(id, Boolean.TRUE);
                        }
                        out.complete(sendQueueAck(m, ack ? WireMessage.QueueAck.ACK : WireMessage.QueueAck.RELEASE)
                                ? AckOutcome.FORWARDED : AckOutcome.UNREACHABLE);
                    });
                    return out;
                }));
    }

    private boolean sendQueueAck(WireMessage.QueueDeliver m, int settle) {
        return network.sendToward(new WireMessage.QueueAck(self, m.owner(), m.subscription(), m.message().queue(),
                m.receipt(), settle, List.of(self)));
    }

    // ---- remote subscriptions to the queues here ----

    /** A subscription on another cluster taking from a local queue. */
    private final class RemoteConsumer implements LocalQueue.Consumer {
        final long id = ++consumerIds;
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
        public boolean offer(LocalQueue.Lease lease) {
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
            dropRemoteConsumer(key, "unsubscribed");
            return;
        }
        LocalQueue q = local.get(s.queue());
        if (q == null) {
            return; // deleted, or never here: the consumer re-binds when the advertisements say so
        }
        RemoteConsumer c = remoteConsumers.get(key);
        if (c == null) {
            c = new RemoteConsumer(key, q, s.prefetch());
            remoteConsumers.put(key, c);
            q.addConsumer(c);
            LOG.debug("{}: {} subscription {} takes from '{}' (consumer {})", settings.node(), s.consumer(),
                    s.subscription(), s.queue(), c.id);
        }
        c.prefetch = s.prefetch();
        c.expiresAt = loop.nanoTime() + leaseNanos;
        pump(q); // the consumer may have been unreachable: try again
    }

    public void onQueueAck(WireMessage.QueueAck a) {
        RemoteConsumer c = remoteConsumers.get(new RemoteKey(a.consumer(), a.subscription(), a.queue()));
        LocalQueue q = local.get(a.queue());
        if (c == null || q == null || c.queue != q) {
            return;
        }
        switch (a.settle()) {
            case WireMessage.QueueAck.ACK -> q.ack(a.receipt(), c.id);
            case WireMessage.QueueAck.RELEASE -> q.release(a.receipt(), c.id);
            default -> q.giveBack(a.receipt(), c.id);
        }
        pump(q);
    }

    private void dropRemoteConsumer(RemoteKey key, String why) {
        RemoteConsumer c = remoteConsumers.remove(key);
        if (c != null) {
            LOG.debug("{}: {} subscription {} no longer takes from '{}' ({})", settings.node(), key.consumer,
                    key.subscription, key.queue, why);
            if (local.get(key.queue) == c.queue) {
                c.queue.removeConsumer(c.id);
                pump(c.queue);
            }
        }
    }
}
