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
import io.mpreg.api.RoundTerms;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A node as a target of voted rounds ({@link RoundCoordinator} is the coordinator's side). Validates a PREPARE
 * (proposal, round terms, weight table, queue, not already delivered, a slot in the queue reserved until the
 * decision), holds the message tentatively and votes, signed with this cluster's key off the event loop; a repeated
 * PREPARE gets the identical vote, so retransmissions never look like equivocation. A COMMIT whose certificate proves
 * it hands the message to the subscribers (once: the dedup window), a signed ABORT drops it. A target that hears no
 * decision past the round's deadline keeps the message and asks the coordinator and the other targets until one
 * answers ({@link #askForDecision}). Loop-thread only.
 *
 * <p>Durable: a vote goes out only once it is in the node's log with the message a yes vote holds, so a restarted
 * cluster answers a retransmitted PREPARE with the identical vote (never a second, different one: that would be a
 * valid proof of equivocation against an honest cluster) and still holds what it promised to take. A decided round
 * is marked settled in the log.
 */
public final class Voter {
    private static final Logger LOG = LoggerFactory.getLogger(Voter.class);
    /** How many applied decisions a cluster remembers at most (each for the dedup window), for targets that ask. */
    static final int DECISIONS_KEPT = 100_000;

    private record Held(WireMessage.Prepare prepare, SignedVote vote) {
    }

    /** A vote decided on and waiting for its signature. */
    private record Unsigned(WireMessage.Prepare prepare, Vote vote) {
    }

    /** Votes signed with one signature at most (a seal of a 64-vote batch is 261 bytes). */
    static final int SIGNED_TOGETHER = 64;

    private final NodeSettings settings;
    private final EventLoop loop;
    private final Counters counters;
    private final Inbox inbox;
    private final Links network;
    private final Supplier<WeightTable> table;
    private final ClusterId self;
    private final Map<RoundId, Held> held = new HashMap<>();
    /** The messages of the rounds {@link #held}. */
    private int heldMessages;
    private final VoteMemory myVotes;
    private final Set<RoundId> signing = new HashSet<>();
    /** Votes decided on, signed in batches off the loop. */
    private final io.mpreg.federation.internal.BatchSigner<Unsigned, SignedVote> signer;
    /** DECISIONs that came while this cluster was still signing its vote in their round. */
    private final Map<RoundId, WireMessage.DecisionFrame> arrivedWhileSigning = new HashMap<>();
    /** The decisions this cluster applied, each for the dedup window: handed to another target that asks. */
    private final DedupWindow<RoundId, WireMessage.DecisionFrame> applied;
    private final Set<RoundId> inDoubt = new HashSet<>();
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
        // without a log, a restart forgets every vote: the rounds numbered before this start are refused
        long floor = log.isDurable() ? 0 : RoundNumbers.at(settings.wallClock().millis());
        this.myVotes = new VoteMemory(settings.voteMemory().toNanos(), settings.voteMemoryCapacity(), loop::nanoTime,
                floor, settings.signing().keys().keySet());
        this.applied = new DedupWindow<>(settings.dedupWindow().toNanos(), DECISIONS_KEPT, loop::nanoTime);
        this.signer = new io.mpreg.federation.internal.BatchSigner<>(loop, settings.signer(),
                settings.batching() ? SIGNED_TOGETHER : 1, this::signAll, this::castOrDrop, (n, e) ->
                LOG.error("{}: could not sign {} votes; they are not cast", settings.node(), n, e));
    }

    /** Whether this cluster's vote in {@code round} is being signed (decided on, not yet cast). */
    public boolean signing(RoundId round) {
        return signing.contains(round);
    }

    public void onPrepare(WireMessage.Prepare p) {
        SignedVote remembered = myVotes.get(p.round());
        Held holding = held.get(p.round());
        SignedVote earlier = remembered != null ? remembered : holding != null ? holding.vote() : null;
        if (earlier != null) {
            log.afterSync(() -> sendVote(earlier)); // a retransmitted PREPARE gets the very same vote, once logged
            return;
        }
        if (signing.contains(p.round())) {
            return; // its vote is being signed and goes out when ready
        }
        String forgotten = myVotes.refusal(p.round());
        if (forgotten == null) {
            forgotten = RoundNumbers.outOfTime(p.round(), p.timeoutMillis(), settings.wallClock().millis());
        }
        if (forgotten != null) { // no vote at all: a second one, different from a forgotten first, would be a proof
            counters.preparesRefused.increment();
            LOG.warn("{}: refused to vote in round {}: {}", settings.node(), p.round(), forgotten);
            return;
        }
        signing.add(p.round());
        String refusal = validate(p);
        if (refusal == null) {
            refusal = reserve(p);
        }
        Vote vote = Ballot.cast(p.round(), self, p.digest(), table.get(), p.tableVersion(), p.tableHash(), refusal);
        if (refusal == null && vote.verdict() != Verdict.YES) {
            unreserve(p); // no (another table): nothing will come
        }
        if (!settings.signing().enabled()) {
            cast(p, SignedVote.unsigned(settings.federation(), p.tableVersion(), vote));
            return;
        }
        // signed under the PREPARE's table version (no replay into another round or table), off the event loop,
        // with the votes that wait meanwhile (one signature, tens of microseconds with Bouncy Castle, half a
        // millisecond with the JDK's). A coordinator signs its own vote too: it goes into the round's certificate,
        // which the other targets check (and a commit decided without it waits for it: RoundCoordinator.ownVotes).
        signer.add(new Unsigned(p, vote));
    }

    /** Signs {@code batch} with one signature (on the signer). */
    private List<SignedVote> signAll(List<Unsigned> batch) {
        List<SignedVote> unsigned = new ArrayList<>(batch.size());
        for (Unsigned u : batch) {
            unsigned.add(SignedVote.unsigned(settings.federation(), u.prepare().tableVersion(), u.vote()));
        }
        return settings.signing().signAll(unsigned);
    }

    /** Casts {@code u}'s vote with its signature, or (no signature: signing failed) forgets it was being signed. */
    private void castOrDrop(Unsigned u, SignedVote signed) {
        if (signed != null) {
            cast(u.prepare(), signed);
            return;
        }
        signing.remove(u.prepare().round());
        arrivedWhileSigning.remove(u.prepare().round());
        if (u.vote().verdict() == Verdict.YES) {
            unreserve(u.prepare());
        }
    }

    private void cast(WireMessage.Prepare p, SignedVote vote) {
        signing.remove(p.round());
        WireMessage.DecisionFrame early = arrivedWhileSigning.remove(p.round());
        myVotes.put(p.round(), vote);
        boolean yes = vote.vote().verdict() == Verdict.YES;
        if (yes) {
            held.put(p.round(), new Held(p, vote));
            heldMessages += p.messages().size();
            awaitDecision(p);
        }
        if (log.isDurable()) {
            log.append(voteType(yes ? p : null), writeVote(vote, time.toWall(loop.nanoTime()), yes ? p : null));
        }
        if (p.round().coordinator().equals(self)) {
            // counted at once by this node's own coordinator: its decision is logged after this vote, so a decision
            // that survives a crash finds the vote and the held message before it in the log
            sendVote(vote);
        } else {
            log.afterSync(() -> sendVote(vote)); // never a vote a crash could make this cluster forget
        }
        if (early != null) {
            onDecisionFrame(early); // it came while the vote was being signed: applied now, after the vote's record
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
        if (!p.terms().proposal(Digests.of(p.messages())).equals(p.digest())) {
            return "digest does not match the messages and the round's terms";
        }
        String terms = checkTerms(p);
        if (terms != null) {
            return terms;
        }
        String cannot = inbox.cannotStore();
        if (cannot != null) {
            return cannot;
        }
        Set<io.mpreg.api.MessageId> ids = new HashSet<>();
        for (io.mpreg.api.Message m : p.messages()) {
            if (!inbox.hasQueue(m.queue())) {
                return "no queue '" + m.queue() + "' on cluster " + self;
            }
            if (inbox.delivered(m)) {
                return "message " + m.id() + " was already delivered on cluster " + self;
            }
            if (!ids.add(m.id())) {
                return "message " + m.id() + " appears twice in the round";
            }
        }
        if (heldMessages + p.messages().size() > settings.holdBackCapacity()) {
            return "cluster " + self + " holds " + heldMessages + " undecided messages, its limit is "
                    + settings.holdBackCapacity();
        }
        return null;
    }

    /** Reserves a slot for each of the round's messages; why not (all given back), or null. */
    private String reserve(WireMessage.Prepare p) {
        for (int i = 0; i < p.messages().size(); i++) {
            if (!inbox.reserve(p.messages().get(i).queue())) {
                for (int j = 0; j < i; j++) {
                    inbox.unreserve(p.messages().get(j).queue());
                }
                return "queue '" + p.messages().get(i).queue() + "' on cluster " + self + " is full";
            }
        }
        return null;
    }

    private void unreserve(WireMessage.Prepare p) {
        p.messages().forEach(m -> inbox.unreserve(m.queue()));
    }

    /**
     * Why the round's terms are not ones this cluster votes under, or null: it must be a target, no target may weigh
     * more than this cluster's table gives it (a coordinator may lower a weight, by its trust, never raise one), the
     * terms must allow a quorum, and the round's timeout must be positive and at most {@link RoundTerms#MAX_TIMEOUT}.
     * A table of another version is not judged here: the vote says WEIGHTS_MISMATCH.
     */
    private String checkTerms(WireMessage.Prepare p) {
        RoundTerms terms = p.terms();
        if (p.timeoutMillis() <= 0 || p.timeoutMillis() > RoundTerms.MAX_TIMEOUT.toMillis()) {
            return "the round's timeout of " + p.timeoutMillis() + " ms is outside (0, "
                    + RoundTerms.MAX_TIMEOUT.toMillis() + "] ms";
        }
        if (!terms.weights().containsKey(self)) {
            return "cluster " + self + " is not among the round's targets " + terms.weights().keySet();
        }
        WeightTable mine = table.get();
        if (mine.agreesWith(terms.tableVersion(), terms.tableHash())) {
            for (var e : terms.weights().entrySet()) {
                if (!mine.contains(e.getKey()) || e.getValue() > mine.weight(e.getKey())) {
                    return "the round gives " + e.getKey() + " weight " + e.getValue() + ", more than table v"
                            + mine.version() + " does (" + (mine.contains(e.getKey()) ? mine.weight(e.getKey())
                            : "not in it") + ")";
                }
            }
        }
        try {
            terms.requiredWeight();
        } catch (IllegalArgumentException e) {
            return "the round's terms allow no quorum: " + e.getMessage();
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

    /**
     * No decision past the round's deadline: the round is in doubt. This cluster keeps the message (in its log too)
     * and asks, with backoff, for as long as it holds it: the coordinator by re-sending its vote (answered with the
     * decision, or, after the coordinator's restart, with the ABORT of a round it had not decided), and the other
     * targets with a {@link WireMessage.DecisionQuery} (answered by any that holds the certificate or the signed ABORT).
     * It never drops the message on its own: the round may have committed.
     */
    private void askForDecision(RoundId round, int attempt) {
        Held h = held.get(round);
        if (h == null) {
            return;
        }
        if (inDoubt.add(round)) {
            LOG.warn("{}: no decision for round {} past its deadline: asking its coordinator and the other targets",
                    settings.node(), round);
        }
        log.afterSync(() -> sendVote(h.vote()));
        for (ClusterId other : h.prepare().terms().weights().keySet()) {
            if (!other.equals(self) && !other.equals(round.coordinator())) {
                network.sendToward(new WireMessage.DecisionQuery(round, self, other, List.of(self)), 1);
            }
        }
        loop.schedule(settings.retryDelay(attempt + 2), () -> askForDecision(round, attempt + 1));
    }

    /** Another target asks for a round's decision: answered if this cluster applied it (inside the dedup window). */
    public void onDecisionQuery(WireMessage.DecisionQuery q) {
        WireMessage.DecisionFrame d = applied.get(q.round());
        if (d == null) {
            return;
        }
        network.sendToward(d.to(q.asker(), self), 1);
    }

    /** How many rounds this cluster holds a message for past their deadline without a decision. */
    public int inDoubt() {
        return inDoubt.size();
    }

    /**
     * {@code coordinator} became reachable: the rounds of it this cluster holds a message for are asked about now
     * (it may have decided while this cluster could not hear it, or restarted and ended them), not at the next retry.
     */
    public void reachable(ClusterId coordinator) {
        // a copy: an answer can come back at once (this node's own coordinator, a log with nothing to sync) and
        // settle a round while this walks them (found by the simulator, seed 1700)
        for (Held h : List.copyOf(held.values())) {
            if (h.prepare().round().coordinator().equals(coordinator)) {
                log.afterSync(() -> sendVote(h.vote())); // (a vote cast just now goes once it is on disk)
            }
        }
    }

    /**
     * A DECISION for a round this cluster is a target of (an ABORT's signature was checked where it arrived,
     * {@link VoteSigning#acceptsAbort}). A COMMIT is applied only with a certificate that proves it to this cluster
     * ({@link CertificateCheck}), its signatures verified off the event loop; one without is refused, counted, and
     * the message stays held. A proved COMMIT whose certificate lacks this cluster's vote (it came after the decision)
     * committed the message elsewhere only: it is dropped here, as {@code committedTo} says.
     */
    public void onDecisionFrame(WireMessage.DecisionFrame d) {
        Held h = held.get(d.round());
        if (h == null) {
            if (signing.contains(d.round()) && arrivedWhileSigning.size() < settings.holdBackCapacity()) {
                arrivedWhileSigning.putIfAbsent(d.round(), d); // applied once the vote is cast
            }
            return; // voted no, already decided, or never prepared here
        }
        if (!d.committed()) {
            settle(h, d);
            return;
        }
        String refusal = CertificateCheck.refusal(h.prepare(), h.vote(), d);
        if (refusal != null) {
            refuse(d, refusal);
            return;
        }
        if (!settings.signing().enabled() || d.round().coordinator().equals(self)) {
            settle(h, d); // (this node's own coordinator built the certificate from votes it verified)
            return;
        }
        List<SignedVote> votes = CertificateCheck.toVerify(settings.federation(), h.prepare(), self, d);
        settings.signer().execute(() -> {
            boolean signed = votes.stream().allMatch(settings.signing()::accepts);
            loop.execute(() -> {
                if (!signed) {
                    refuse(d, "a vote of its certificate is not signed by its voter");
                } else if (held.get(d.round()) == h) { // (not settled meanwhile by another copy of the decision)
                    settle(h, d);
                }
            });
        });
    }

    private void refuse(WireMessage.DecisionFrame d, String why) {
        counters.forgeriesRefused.increment();
        LOG.warn("{}: refused a COMMIT for round {}: {}", settings.node(), d.round(), why);
    }

    private void settle(Held h, WireMessage.DecisionFrame d) {
        WireMessage.Prepare p = h.prepare();
        held.remove(d.round());
        heldMessages -= p.messages().size();
        inDoubt.remove(d.round());
        applied.put(d.round(), d); // for another target that asks
        if (d.committed() && d.certificate().containsKey(self)) {
            for (io.mpreg.api.Message m : p.messages()) {
                inbox.commit(m, p.round().coordinator(), p.guarantee(),
                        p.round().sequence() * 31 + p.round().coordinator().hashCode());
            }
        } else {
            unreserve(p);
        }
        settled(d.round()); // after the commit's own records: a crash in between asks for the decision again
    }

    // ---- the log ----

    /** The type of {@link #writeVote}'s record: {@link RecordTypes#VOTED_ROUND} when it holds several messages. */
    private static byte voteType(WireMessage.Prepare held) {
        return held != null && held.messages().size() > 1 ? RecordTypes.VOTED_ROUND : RecordTypes.VOTED;
    }

    private static RecordWriter writeVote(SignedVote vote, long wallNanos, WireMessage.Prepare held) {
        RecordWriter w = new RecordWriter().putSignedVote(vote).putLong(wallNanos).putBoolean(held != null);
        if (held != null) {
            w.putRound(held.round()).putCluster(held.target());
            if (held.messages().size() > 1) {
                w.putInt(held.messages().size());
            }
            held.messages().forEach(w::putMessage);
            w.putDigest(held.digest()).putTerms(held.terms()).putLong(held.timeoutMillis());
        }
        return w;
    }

    /** Takes one replayed record; false if it is not a vote's. Call before {@link #recovered}. */
    public boolean replay(byte type, byte[] payload) {
        RecordInput in = new RecordInput(payload);
        if (type == RecordTypes.VOTED || type == RecordTypes.VOTED_ROUND) {
            SignedVote vote = in.getSignedVote();
            long writtenAt = time.toLoop(in.getLong());
            myVotes.put(vote.vote().round(), vote, writtenAt);
            if (in.getBoolean()) {
                RoundId round = in.getRound();
                ClusterId target = in.getCluster();
                int n = type == RecordTypes.VOTED ? 1 : in.getInt();
                if (n < 1 || n > io.mpreg.api.CommitCertificate.MAX_ROUND_MESSAGES) {
                    throw new io.mpreg.federation.storage.StorageException("a vote record holding " + n
                            + " messages (1 to " + io.mpreg.api.CommitCertificate.MAX_ROUND_MESSAGES + ")");
                }
                List<io.mpreg.api.Message> messages = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    messages.add(in.getMessage());
                }
                WireMessage.Prepare p = new WireMessage.Prepare(round, target, messages, in.getDigest(), in.getTerms(),
                        in.getLong(), List.of());
                recovering.put(p.round(), new Held(p, vote));
            }
            return true;
        }
        if (type == RecordTypes.VOTE_SETTLED) {
            recovering.remove(in.getRound());
            return true;
        }
        if (type == RecordTypes.VOTES_FORGOTTEN) {
            myVotes.forgot(in.getRound());
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
            h.prepare().messages().forEach(m -> inbox.reserve(m.queue()));
            held.put(round, h);
            heldMessages += h.prepare().messages().size();
            awaitDecision(h.prepare());
        });
        int n = recovering.size();
        recovering.clear();
        return n;
    }

    /** Writes this cluster's votes still remembered and the messages held for undecided rounds, for a snapshot. */
    public void snapshot(Journal.Sink sink) {
        Set<RoundId> written = new HashSet<>();
        myVotes.snapshot((round, vote, writtenAt) -> {
            Held h = held.get(round);
            sink.record(voteType(h == null ? null : h.prepare()), writeVote(vote, time.toWall(writtenAt), h == null
                    ? null : h.prepare()).toBytes());
            written.add(round);
        }, (coordinator, upTo) -> sink.record(RecordTypes.VOTES_FORGOTTEN,
                new RecordWriter().putRound(new RoundId(coordinator, upTo)).toBytes()));
        long now = time.toWall(loop.nanoTime());
        held.forEach((round, h) -> {
            if (!written.contains(round)) { // its vote left the window: the message is still held
                sink.record(voteType(h.prepare()), writeVote(h.vote(), now, h.prepare()).toBytes());
            }
        });
    }
}
