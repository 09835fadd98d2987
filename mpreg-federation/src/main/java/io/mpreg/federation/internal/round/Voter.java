package io.mpreg.federation.internal.round;

import io.mpreg.federation.internal.Counters;
import io.mpreg.federation.internal.NodeSettings;
import io.mpreg.federation.internal.delivery.Inbox;
import io.mpreg.federation.internal.DedupWindow;
import io.mpreg.federation.internal.log.Journal;
import io.mpreg.federation.internal.log.LogTime;
import io.mpreg.federation.internal.log.RecordInput;
import io.mpreg.federation.internal.log.RecordTypes;
import io.mpreg.federation.internal.log.RecordWriter;
import io.mpreg.federation.internal.log.StateLog;
import io.mpreg.api.ClusterId;
import io.mpreg.api.RoundId;
import io.mpreg.api.SignedVote;
import io.mpreg.api.Verdict;
import io.mpreg.api.Vote;
import io.mpreg.consensus.Ballot;
import io.mpreg.consensus.WeightTable;
import io.mpreg.federation.EventLoop;
import io.mpreg.federation.internal.link.Links;
import io.mpreg.federation.internal.wire.WireMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A node as a target of voted rounds ({@link RoundCoordinator} is the coordinator's side). Validates a PREPARE (digest, weight
 * table, queue, not already delivered, a slot in the queue reserved until the decision), holds the message tentatively and votes, signed with this
 * cluster's key off the event loop; a repeated PREPARE gets the identical vote, so retransmissions never look like
 * equivocation. COMMIT hands the message to the subscribers (once: the dedup window), ABORT drops it. A target that
 * hears no decision re-sends its vote with backoff until the coordinator answers, then gives up after
 * {@link #LIMBO_ATTEMPTS} tries, counting it. Loop-thread only.
 *
 * <p>Durable: a vote goes out only once it is in the node's log with the message a yes vote holds, so a restarted
 * cluster answers a retransmitted PREPARE with the identical vote (never a second, different one: that would be a
 * valid proof of equivocation against an honest cluster) and still holds what it promised to take. A decided round
 * is marked settled in the log.
 */
public final class Voter {
    private static final Logger LOG = LoggerFactory.getLogger(Voter.class);
    public static final int LIMBO_ATTEMPTS = 8;
    /** How many of its own votes a cluster remembers at most (each for the dedup window). */
    static final int VOTES_KEPT = 100_000;

    private record Held(WireMessage.Prepare prepare, SignedVote vote) {
    }

    private final NodeSettings settings;
    private final EventLoop loop;
    private final Counters counters;
    private final Inbox inbox;
    private final Links network;
    private final Supplier<WeightTable> table;
    private final ClusterId self;
    private final Map<RoundId, Held> held = new HashMap<>();
    private final DedupWindow<RoundId, SignedVote> myVotes;
    private final Set<RoundId> signing = new HashSet<>();
    private final StateLog log;
    private final LogTime time;
    private final Map<RoundId, Held> recovering = new LinkedHashMap<>();

    /** Votes in rounds this node coordinates go to its own coordinator through {@link Links#local} (no frame). */
    public Voter(NodeSettings settings, EventLoop loop, Counters counters, Inbox inbox, Links network,
          Supplier<WeightTable> table, StateLog log, LogTime time) {
        this.log = log;
        this.time = time;
        this.settings = settings;
        this.loop = loop;
        this.counters = counters;
        this.inbox = inbox;
        this.network = network;
        this.table = table;
        this.self = settings.node().cluster();
        this.myVotes = new DedupWindow<>(settings.dedupWindow().toNanos(), VOTES_KEPT, loop::nanoTime);
    }

    public void onPrepare(WireMessage.Prepare p) {
        SignedVote earlier = myVotes.get(p.round());
        if (earlier != null) {
            log.afterSync(() -> sendVote(earlier)); // a retransmitted PREPARE gets the very same vote, once logged
            return;
        }
        if (!signing.add(p.round())) {
            return; // its vote is being signed and goes out when ready
        }
        String refusal = validate(p);
        if (refusal == null && !inbox.reserve(p.message().queue())) {
            refusal = "queue '" + p.message().queue() + "' on cluster " + self + " is full";
        }
        Vote vote = Ballot.cast(p.round(), self, p.digest(), table.get(), p.tableVersion(), p.tableHash(), refusal);
        if (refusal == null && vote.verdict() != Verdict.YES) {
            inbox.unreserve(p.message().queue()); // no (another table): nothing will come
        }
        if (p.round().coordinator().equals(self) || !settings.signing().enabled()) {
            // a coordinator's vote in its own round is counted by itself alone: a signature would prove nothing
            cast(p, SignedVote.unsigned(settings.federation(), p.tableVersion(), vote));
            return;
        }
        // signed under the PREPARE's table version (no replay into another round or table), off the event loop:
        // the JDK's Ed25519 takes about half a millisecond a signature
        settings.signer().execute(() -> {
            SignedVote signed = settings.signing().sign(p.tableVersion(), vote);
            loop.execute(() -> cast(p, signed));
        });
    }

    private void cast(WireMessage.Prepare p, SignedVote vote) {
        signing.remove(p.round());
        myVotes.put(p.round(), vote);
        boolean yes = vote.vote().verdict() == Verdict.YES;
        if (yes) {
            held.put(p.round(), new Held(p, vote));
            awaitDecision(p);
        }
        if (log.isDurable()) {
            log.append(RecordTypes.VOTED, writeVote(vote, time.toWall(loop.nanoTime()), yes ? p : null));
        }
        if (p.round().coordinator().equals(self)) {
            // counted at once by this node's own coordinator: its decision is logged after this vote, so a decision
            // that survives a crash finds the vote and the held message before it in the log
            sendVote(vote);
        } else {
            log.afterSync(() -> sendVote(vote)); // never a vote a crash could make this cluster forget
        }
    }

    private void awaitDecision(WireMessage.Prepare p) {
        long wait = Duration.ofMillis(p.timeoutMillis()).toNanos() + settings.retryMax().toNanos();
        loop.schedule(wait, () -> askForDecision(p.round(), 1));
    }

    private void settled(RoundId round) {
        if (log.isDurable()) {
            log.append(RecordTypes.VOTE_SETTLED, new RecordWriter().putRound(round));
        }
    }

    private String validate(WireMessage.Prepare p) {
        if (!Digests.of(p.message()).equals(p.digest())) {
            return "digest does not match the message";
        }
        String cannot = inbox.cannotStore();
        if (cannot != null) {
            return cannot;
        }
        if (!inbox.hasQueue(p.message().queue())) {
            return "no queue '" + p.message().queue() + "' on cluster " + self;
        }
        if (inbox.delivered(p.message())) {
            return "message " + p.message().id() + " was already delivered on cluster " + self;
        }
        if (held.size() >= settings.holdBackCapacity()) {
            return "cluster " + self + " holds " + held.size() + " undecided messages, its limit";
        }
        return null;
    }

    private void sendVote(SignedVote vote) {
        WireMessage.VoteFrame frame = WireMessage.VoteFrame.of(vote, List.of(self));
        if (vote.vote().round().coordinator().equals(self)) {
            network.local(frame);
        } else {
            network.sendToward(frame, 1);
        }
    }

    /** No decision yet: re-send the vote (the coordinator answers with the decision if it has one). */
    private void askForDecision(RoundId round, int attempt) {
        Held h = held.get(round);
        if (h == null) {
            return;
        }
        if (attempt > LIMBO_ATTEMPTS) {
            held.remove(round);
            inbox.unreserve(h.prepare().message().queue());
            settled(round);
            counters.limboAbandoned.increment();
            LOG.warn("{}: no decision for round {} after {} requests; dropped its message", settings.node(), round,
                    LIMBO_ATTEMPTS);
            return;
        }
        log.afterSync(() -> sendVote(h.vote()));
        loop.schedule(settings.retryDelay(attempt + 2), () -> askForDecision(round, attempt + 1));
    }

    /**
     * {@code coordinator} became reachable: the rounds of it this cluster holds a message for are asked about now
     * (it may have decided while this cluster could not hear it, or restarted and ended them), not at the next retry.
     */
    public void reachable(ClusterId coordinator) {
        held.forEach((round, h) -> {
            if (round.coordinator().equals(coordinator)) {
                log.afterSync(() -> sendVote(h.vote())); // (a vote cast just now goes once it is on disk)
            }
        });
    }

    public void onDecisionFrame(WireMessage.DecisionFrame d) {
        Held h = held.remove(d.round());
        if (h == null) {
            return; // voted no, already decided, or never prepared here
        }
        WireMessage.Prepare p = h.prepare();
        if (d.committed()) {
            inbox.commit(p.message(), p.round().coordinator(), p.guarantee(),
                    p.round().sequence() * 31 + p.round().coordinator().hashCode());
        } else {
            inbox.unreserve(p.message().queue());
        }
        settled(d.round()); // after the commit's own records: a crash in between asks for the decision again
    }

    // ---- the log ----

    private static RecordWriter writeVote(SignedVote vote, long wallNanos, WireMessage.Prepare held) {
        RecordWriter w = new RecordWriter().putSignedVote(vote).putLong(wallNanos).putBoolean(held != null);
        if (held != null) {
            w.putRound(held.round()).putCluster(held.target()).putInt(held.guarantee().ordinal())
                    .putMessage(held.message()).putDigest(held.digest()).putLong(held.tableVersion())
                    .putDigest(held.tableHash()).putLong(held.timeoutMillis());
        }
        return w;
    }

    /** Takes one replayed record; false if it is not a vote's. Call before {@link #recovered}. */
    public boolean replay(byte type, byte[] payload) {
        RecordInput in = new RecordInput(payload);
        if (type == RecordTypes.VOTED) {
            SignedVote vote = in.getSignedVote();
            long writtenAt = time.toLoop(in.getLong());
            myVotes.put(vote.vote().round(), vote, writtenAt);
            if (in.getBoolean()) {
                WireMessage.Prepare p = new WireMessage.Prepare(in.getRound(), in.getCluster(),
                        io.mpreg.api.DeliveryGuarantee.values()[in.getInt()], in.getMessage(), in.getDigest(),
                        in.getLong(), in.getDigest(), in.getLong(), List.of());
                recovering.put(p.round(), new Held(p, vote));
            }
            return true;
        }
        if (type == RecordTypes.VOTE_SETTLED) {
            recovering.remove(in.getRound());
            return true;
        }
        return false;
    }

    /**
     * The log is replayed and the queues are back: each message held for an undecided yes vote is held again, with
     * its slot in its queue, and this cluster asks for the decision as it did before its restart.
     *
     * @return how many messages are held again
     */
    public int recovered() {
        recovering.forEach((round, h) -> {
            inbox.reserve(h.prepare().message().queue());
            held.put(round, h);
            awaitDecision(h.prepare());
        });
        int n = recovering.size();
        recovering.clear();
        return n;
    }

    /** Writes this cluster's votes still remembered and the messages held for undecided rounds, for a snapshot. */
    public void snapshot(Journal.Sink sink) {
        Set<RoundId> written = new HashSet<>();
        myVotes.forEach((round, vote, writtenAt) -> {
            Held h = held.get(round);
            sink.record(RecordTypes.VOTED, writeVote(vote, time.toWall(writtenAt), h == null ? null
                    : h.prepare()).toBytes());
            written.add(round);
        });
        long now = time.toWall(loop.nanoTime());
        held.forEach((round, h) -> {
            if (!written.contains(round)) { // its vote left the window: the message is still held
                sink.record(RecordTypes.VOTED, writeVote(h.vote(), now, h.prepare()).toBytes());
            }
        });
    }
}
