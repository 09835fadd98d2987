package io.mpreg.it.sim;

import io.mpreg.api.AbortReason;
import io.mpreg.api.ClusterId;
import io.mpreg.api.Digest;
import io.mpreg.api.Message;
import io.mpreg.api.NodeId;
import io.mpreg.api.Verdict;
import io.mpreg.api.Vote;
import io.mpreg.federation.internal.wire.LinkHeader;
import io.mpreg.federation.internal.wire.WireCodec;
import io.mpreg.federation.internal.wire.WireException;
import io.mpreg.federation.internal.wire.WireMessage;
import io.mpreg.federation.queue.QueueType;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A malicious member: a real node of cluster {@link #self} with valid credentials whose every outgoing frame passes
 * through here (SCENARIOS B1-B7). It drops some of what it relays and alters some relayed PREPAREs; and now and then,
 * with what it has seen on its links, it forges: COMMITs and ABORTs of other coordinators' rounds, ACKs and NACKs in
 * other clusters' names, link state and queue advertisements in other nodes' names (under their genuine signatures of
 * other content), a weight table giving itself the weight with made-up approvals, old signed votes replayed into
 * new rounds, and PREPAREs seen a while ago sent again to another of their targets (which may have forgotten its vote:
 * voting afresh could sign a second, different vote, a proof against an honest cluster). Its own node votes yes and its application never takes a message, so it never delivers.
 *
 * <p>Frames keep the node's link epochs and are renumbered per link, so the receivers' replay guard takes the extra
 * ones: only the protocol can refuse them. Everything is drawn from the run's seed.
 */
final class Liar {
    /** A cluster that exists nowhere: a route or queue naming it came from a forgery that was taken. */
    static final ClusterId GHOST = ClusterId.of("ghost");
    /** A queue that exists nowhere. */
    static final String GHOST_QUEUE = "ghost-queue";
    private static final int KEPT = 64;

    private final ClusterId self;
    private final SplittableRandom random;
    private final WireCodec codec = new WireCodec(1 << 20);
    private final Map<String, Long> sequences = new HashMap<>();
    private final List<WireMessage.Prepare> prepares = new ArrayList<>();
    private final List<WireMessage.Deliver> delivers = new ArrayList<>();
    private final List<WireMessage.VoteFrame> votes = new ArrayList<>();
    private final Map<NodeId, WireMessage.LinkState> states = new TreeMap<>();
    private final Map<NodeId, WireMessage.QueueAds> ads = new TreeMap<>();
    private final SortedMap<String, Integer> done = new TreeMap<>();
    /** Forged frames waiting for the next frame to the node they are for. */
    private final Map<NodeId, List<WireMessage>> pending = new TreeMap<>();

    /** Whether faults are still on: the liar withholds its votes only then (after the heal, honest rounds must commit). */
    private final java.util.function.BooleanSupplier faultPeriod;

    /** The simulation's time, in nanoseconds. */
    private final java.util.function.LongSupplier clock;
    /** Some PREPAREs it saw, with when: replayed once they are old. */
    private final java.util.ArrayDeque<Captured> captured = new java.util.ArrayDeque<>();

    private record Captured(long at, WireMessage.Prepare prepare) {
    }

    Liar(ClusterId self, SplittableRandom random, java.util.function.BooleanSupplier faultPeriod,
         java.util.function.LongSupplier clock) {
        this.self = self;
        this.clock = clock;
        this.random = random;
        this.faultPeriod = faultPeriod;
    }

    /** What it did, by kind, for the run's description. */
    SortedMap<String, Integer> done() {
        return done;
    }

    /** A frame that reached the liar's node: remembered for later forgeries. */
    void observe(byte[] frame) {
        WireMessage decoded = decode(frame);
        for (WireMessage m : decoded instanceof WireMessage.Batch b ? b.messages()
                : decoded == null ? List.<WireMessage>of() : List.of(decoded)) {
            observeOne(m);
        }
    }

    private void observeOne(WireMessage m) {
        remember(m);
        if (m instanceof WireMessage.Prepare p && p.target().equals(self) && random.nextBoolean()) {
            // B2, early: every other target gets a COMMIT (or an ABORT) of this round before the coordinator decides
            for (ClusterId t : p.terms().weights().keySet()) {
                if (!t.equals(self) && !t.equals(p.round().coordinator())) {
                    pending.computeIfAbsent(NodeId.of(t.value(), "gw"), k -> new ArrayList<>())
                            .add(random.nextInt(3) == 0 ? forgedAbort(p, t) : forgedCommit(p, t));
                }
            }
        }
    }

    /** The frames to send in place of {@code frame} to {@code peer}: none, it, an altered copy, and forgeries. */
    List<byte[]> outgoing(NodeId peer, byte[] frame) {
        WireCodec.Frame decoded;
        try {
            decoded = codec.decode(ByteBuffer.wrap(frame));
        } catch (WireException e) {
            return List.of(frame);
        }
        WireMessage m = decoded.message();
        List<WireMessage> out = new ArrayList<>();
        for (WireMessage one : m instanceof WireMessage.Batch b ? b.messages() : List.of(m)) {
            outgoingOne(one, out); // a batch's messages each as their own frame: the liar renumbers them all anyway
        }
        if (!(m instanceof WireMessage.Hello)) {
            List<WireMessage> waiting = pending.remove(peer);
            if (waiting != null) {
                out.addAll(waiting);
            }
        }
        if (!(m instanceof WireMessage.Hello) && random.nextInt(8) == 0) {
            out.addAll(forge());
        }
        List<byte[]> frames = new ArrayList<>(out.size());
        LinkHeader link = decoded.link();
        for (WireMessage w : out) {
            long sequence = sequences.merge(peer + "|" + link.senderEpoch(), 1L, Long::sum);
            frames.add(codec.encode(new LinkHeader(link.senderEpoch(), link.receiverEpoch(), sequence), w));
        }
        return frames;
    }

    /** What the liar does with one message it was to send: adds to {@code out} none, it, or an altered copy. */
    private void outgoingOne(WireMessage m, List<WireMessage> out) {
        remember(m);
        if (m instanceof WireMessage.VoteFrame v && v.vote().voter().equals(self) && faultPeriod.getAsBoolean()
                && random.nextBoolean()) {
            count("withheld its vote"); // so that rounds needing it abort, after the forged COMMITs went out
        } else if (relayed(m) && random.nextInt(5) == 0) {
            count("dropped a relayed " + m.getClass().getSimpleName());
            if (m instanceof WireMessage.Deliver d && random.nextBoolean()) { // B3 + B7: and says it arrived
                count("forged an ACK of what it dropped");
                pending.computeIfAbsent(NodeId.of(d.origin().value(), "gw"), k -> new ArrayList<>())
                        .add(new WireMessage.Ack(d.id(), d.target(), d.origin(), List.of(d.target(), self),
                                random.nextBoolean() ? new byte[0] : garbage()));
            }
        } else if (relayed(m) && m instanceof WireMessage.Prepare p && random.nextInt(3) == 0) {
            out.add(altered(p));
        } else {
            out.add(m);
        }
    }

    private WireMessage decode(byte[] frame) {
        try {
            return codec.decode(ByteBuffer.wrap(frame)).message();
        } catch (WireException e) {
            return null;
        }
    }

    /** Whether {@code m} passes through the liar on its way from another cluster to a third. */
    private boolean relayed(WireMessage m) {
        return m instanceof WireMessage.Routed r && !r.visited().isEmpty() && !r.visited().get(0).equals(self)
                && !r.destination().equals(self);
    }

    private void remember(WireMessage m) {
        if (m instanceof WireMessage.Prepare p && !p.round().coordinator().equals(self)) {
            keep(prepares, p);
            if (random.nextInt(4) == 0) {
                captured.addLast(new Captured(clock.getAsLong(), p));
                if (captured.size() > KEPT) {
                    captured.removeFirst();
                }
            }
        } else if (m instanceof WireMessage.Deliver d && !d.target().equals(self)) {
            keep(delivers, d);
        } else if (m instanceof WireMessage.VoteFrame v) {
            keep(votes, v);
        } else if (m instanceof WireMessage.LinkState s && !s.origin().cluster().equals(self)) {
            states.put(s.origin(), s);
        } else if (m instanceof WireMessage.QueueAds a && !a.origin().cluster().equals(self)) {
            ads.put(a.origin(), a);
        }
    }

    private static <T> void keep(List<T> list, T item) {
        list.add(item);
        if (list.size() > KEPT) {
            list.remove(0);
        }
    }

    private void count(String what) {
        done.merge(what, 1, Integer::sum);
    }

    private byte[] garbage() {
        byte[] b = new byte[io.mpreg.api.SignedVote.SIGNATURE_BYTES];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) random.nextInt();
        }
        return b;
    }

    private <T> T any(List<T> list) {
        return list.isEmpty() ? null : list.get(random.nextInt(list.size()));
    }

    private <K, V> V any(Map<K, V> map) {
        return map.isEmpty() ? null : any(new ArrayList<>(map.values()));
    }

    /** B1: the same PREPARE with another message under the original digest, or the original under another digest. */
    private WireMessage.Prepare altered(WireMessage.Prepare p) {
        count("altered a relayed PREPARE");
        if (random.nextBoolean()) { // one message of the round altered (a round may decide several)
            List<Message> messages = new ArrayList<>(p.messages());
            int i = random.nextInt(messages.size());
            Message m = messages.get(i);
            messages.set(i, new Message(m.id(), m.queue(), "altered".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    m.headers(), m.priority(), m.delay(), m.deadline()));
            return new WireMessage.Prepare(p.round(), p.target(), messages, p.digest(), p.terms(), p.timeoutMillis(),
                    p.visited());
        }
        return new WireMessage.Prepare(p.round(), p.target(), p.messages(), Digest.sha256(garbage()), p.terms(),
                p.timeoutMillis(), p.visited());
    }

    /**
     * B2: a COMMIT of {@code p}'s round for {@code target} whose certificate has, per target, its genuine signed vote
     * of the round where the liar saw one (its own, or one it relayed) and a made-up signature otherwise.
     */
    private WireMessage forgedCommit(WireMessage.Prepare p, ClusterId target) {
        SortedMap<ClusterId, byte[]> certificate = new TreeMap<>();
        p.terms().weights().keySet().forEach(c -> certificate.put(c, garbage()));
        votes.stream().filter(v -> v.vote().round().equals(p.round()) && v.vote().verdict() == Verdict.YES)
                .forEach(v -> certificate.put(v.vote().voter(), v.signature()));
        count("forged a COMMIT");
        return WireMessage.DecisionFrame.commit(p.round(), target, p.terms().proposal(p.digest()), p.tableVersion(),
                certificate, List.of(self));
    }

    /** B2: an ABORT of {@code p}'s round for {@code target} that its coordinator never signed. */
    private WireMessage forgedAbort(WireMessage.Prepare p, ClusterId target) {
        count("forged an ABORT");
        return WireMessage.DecisionFrame.abort(p.round(), target, AbortReason.TIMEOUT, garbage(), List.of(self));
    }

    private List<WireMessage> forge() {
        WireMessage one = forgeOne();
        return one == null ? ghost() : List.of(one);
    }

    /**
     * B4: another node's link state with a link to a cluster that does not exist, and that cluster's own, linked with
     * every cluster: were both taken, the ghost would be reachable.
     */
    private List<WireMessage> ghost() {
        WireMessage.LinkState s = any(states);
        if (s == null || random.nextBoolean()) {
            return List.of();
        }
        count("forged link states");
        TreeSet<ClusterId> links = new TreeSet<>(s.neighbours());
        links.add(GHOST);
        TreeSet<ClusterId> everyone = new TreeSet<>();
        states.keySet().forEach(n -> everyone.add(n.cluster()));
        return List.of(new WireMessage.LinkState(s.origin(), s.version() + 1 + random.nextInt(1000), 0, links,
                        s.tableVersion(), s.tableHash(), s.signature()),
                new WireMessage.LinkState(NodeId.of(GHOST.value(), "gw"), 1 + random.nextInt(1000), 0, everyone,
                        s.tableVersion(), s.tableHash(), garbage()));
    }

    private WireMessage forgeOne() {
        List<ClusterId> via = List.of(self);
        WireMessage.Prepare p = any(prepares);
        WireMessage.Deliver d = any(delivers);
        switch (random.nextInt(8)) {
            case 0 -> {
                return p == null ? null : forgedCommit(p, p.target());
            }
            case 1 -> {
                return p == null ? null : forgedAbort(p, p.target());
            }
            case 2 -> { // B3: the target's ACK or NACK of a message it may never have received
                if (d == null) {
                    return null;
                }
                List<ClusterId> path = List.of(d.target(), self);
                if (random.nextBoolean()) {
                    count("forged an ACK");
                    return new WireMessage.Ack(d.id(), d.target(), d.origin(), path,
                            random.nextBoolean() ? new byte[0] : garbage());
                }
                count("forged a NACK");
                return new WireMessage.Nack(d.id(), d.target(), d.origin(), "no queue", path, garbage());
            }
            case 3 -> { // B4: another node's queues withdrawn, or a queue that does not exist claimed on it
                WireMessage.QueueAds a = any(ads);
                if (a == null) {
                    return null;
                }
                List<WireMessage.QueueAd> queues = random.nextBoolean() ? List.of()
                        : List.of(new WireMessage.QueueAd(GHOST_QUEUE, QueueType.FIFO));
                count("forged a queue advertisement");
                return new WireMessage.QueueAds(a.origin(), a.version() + 1 + random.nextInt(1000), 0, a.ttlMillis(),
                        queues, random.nextBoolean() ? a.signature() : garbage());
            }
            case 4 -> { // B5: a table giving the liar all the weight, "approved" by everyone
                if (p == null) {
                    return null;
                }
                SortedMap<ClusterId, Long> weights = new TreeMap<>();
                SortedMap<ClusterId, byte[]> approvals = new TreeMap<>();
                p.terms().weights().keySet().forEach(c -> {
                    weights.put(c, 1L);
                    approvals.put(c, garbage());
                });
                weights.put(self, 1_000L);
                count("forged a weight table");
                return new WireMessage.Weights(NodeId.of(self.value(), "gw"), p.tableVersion() + 1, weights, self,
                        approvals);
            }
            case 5 -> { // B6: an old signed vote replayed into another round
                WireMessage.VoteFrame v = any(votes);
                if (p == null || v == null || v.vote().round().equals(p.round())) {
                    return null;
                }
                count("replayed a vote");
                Vote replayed = new Vote(p.round(), v.vote().voter(), Verdict.YES, p.terms().proposal(p.digest()),
                        v.vote().reason());
                return new WireMessage.VoteFrame(replayed, p.tableVersion(), v.signature(), via);
            }
            case 6 -> { // an old PREPARE, to another of its targets: its vote may be forgotten there by now
                Captured c = captured.peekFirst();
                if (c == null || clock.getAsLong() - c.at() < 1_000_000_000L) {
                    return null;
                }
                captured.removeFirst();
                List<ClusterId> others = c.prepare().terms().weights().keySet().stream()
                        .filter(t -> !t.equals(self)).toList();
                if (others.isEmpty()) {
                    return null;
                }
                ClusterId target = others.get(random.nextInt(others.size()));
                count("replayed an old PREPARE");
                WireMessage.Prepare p0 = c.prepare();
                return new WireMessage.Prepare(p0.round(), target, p0.messages(), p0.digest(), p0.terms(),
                        p0.timeoutMillis(), via);
            }
            default -> {
                return null;
            }
        }
    }
}
