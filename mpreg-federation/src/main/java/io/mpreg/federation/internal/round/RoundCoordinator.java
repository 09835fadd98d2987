package io.mpreg.federation.internal.round;

import io.mpreg.federation.internal.Counters;
import io.mpreg.federation.internal.NodeSettings;
import io.mpreg.federation.internal.delivery.Inbox;
import io.mpreg.federation.internal.delivery.Timeouts;
import io.mpreg.federation.internal.log.Journal;
import io.mpreg.federation.internal.log.LogTime;
import io.mpreg.federation.internal.log.StateLog;
import io.mpreg.api.AbortReason;
import io.mpreg.api.ClusterId;
import io.mpreg.api.CommitCertificate;
import io.mpreg.api.RoundTerms;
import io.mpreg.api.Threshold;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Digest;
import io.mpreg.api.Message;
import io.mpreg.api.RoundId;
import io.mpreg.api.SignedEquivocation;
import io.mpreg.api.Vote;
import io.mpreg.consensus.ConsensusEngine;
import io.mpreg.consensus.ConsensusException;
import io.mpreg.consensus.ConsensusStatistics;
import io.mpreg.consensus.Decision;
import io.mpreg.consensus.DecisionListener;
import io.mpreg.consensus.QuorumPolicy;
import io.mpreg.consensus.RoundSpec;
import io.mpreg.consensus.VoterSet;
import io.mpreg.consensus.WeightTable;
import io.mpreg.federation.EventLoop;
import io.mpreg.federation.internal.link.Links;
import io.mpreg.federation.internal.round.CoordinatedRound.Send;
import io.mpreg.federation.internal.wire.WireMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * GLOBAL_QUORUM and BYZANTINE_QUORUM in two phases over the wire: the coordinator's side (the target's is
 * {@link Voter}). Loop-thread only.
 *
 * <p>Coordinator: admits the round (at most {@code maxConcurrentRounds} open, a bounded queue behind them, refusal
 * beyond), opens it in the consensus engine with the node's weight table, sends PREPARE to every target (itself
 * included, without a frame) and re-sends it to targets that have not voted; each VOTE goes to the engine, which
 * decides as early as the outcome is certain or at the deadline; DECISION goes to every target, the decision is
 * remembered so a target that asks again (by re-sending its vote) gets it again, and the caller's future completes.
 *
 * <p>Votes are checked for their voter's signature where their frame is decoded ({@link #acceptsSignature}) and
 * bound to their round's table version here; the proofs of equivocation go to an {@link EvidenceBook}.
 *
 * <p>Durable: a round's PREPAREs go out once its opening (with its targets) is in the node's log, and its decision
 * reaches the targets and the caller once the decision is; so a coordinator back from a crash answers with the
 * decision it took and ends the rounds it had not decided with an explicit ABORT.
 */
public final class RoundCoordinator implements DecisionListener {
    private static final Logger LOG = LoggerFactory.getLogger(RoundCoordinator.class);

    private final NodeSettings settings;
    private final EventLoop loop;
    private final Counters counters;
    private final Inbox inbox;
    private final Links network;
    private final java.util.function.Supplier<WeightTable> table;
    private final Timeouts timeouts;
    private final ClusterId self;
    private final ConsensusEngine engine;
    private final Map<RoundId, CoordinatedRound> coordinating = new HashMap<>();
    /** Decided, the decision not on disk yet: told to no one so far. */
    private final Map<RoundId, Announcement> announcing = new HashMap<>();

    private record Announcement(Decision decision, CoordinatedRound round, Decisions.Outcome outcome) {
    }
    /** Rounds admitted behind the open ones, each its sends. */
    private final ArrayDeque<List<Send>> waiting = new ArrayDeque<>();
    /** Sends that came while the loop ran the tasks queued before the next {@link #form}: grouped into rounds there. */
    private List<Send> forming = new ArrayList<>();
    private boolean formPosted;
    /** The bytes of messages one round carries at most (a lone message of any size has a round of its own). */
    private final int roundBytes;
    /** The most messages one round decides. */
    static final int MESSAGES_PER_ROUND = 64;

    /** What sends share a round: the same options (targets, guarantee, threshold, timeout...) and queue. */
    private record Group(DeliveryOptions options, String queue) {
    }
    private final Decisions decided;
    private final StateLog log;
    private long sequence;
    private final EvidenceBook evidence;
    private EventLoop.Timer expiry;
    private long expiryAt;

    /**
     * {@code firstSequence} from {@link RoundNumbers#first}: this incarnation numbers its rounds above it, and above
     * the rounds in its log. Round ids must not repeat across restarts: targets remember their votes by round id, and
     * a restarted coordinator counting from 1 again was answered with the old incarnation's votes (found by the
     * simulator, seed 7); and they must grow, as targets refuse the rounds below one whose vote they forgot.
     */
    public RoundCoordinator(NodeSettings settings, EventLoop loop, Counters counters, Inbox inbox, Links network,
           java.util.function.Supplier<WeightTable> table, Timeouts timeouts, long firstSequence, StateLog log,
           LogTime time, int roundBytes) {
        this.roundBytes = roundBytes;
        this.log = log;
        this.table = table;
        this.timeouts = timeouts;
        this.settings = settings;
        this.loop = loop;
        this.counters = counters;
        this.inbox = inbox;
        this.network = network;
        this.sequence = firstSequence;
        this.self = settings.node().cluster();
        this.engine = ConsensusEngine.builder().ticker(loop::nanoTime).weighting(settings.weighting())
                .detectors(settings.detectors()).listener(this).maxOpenRounds(settings.maxConcurrentRounds())
                .build();
        this.decided = new Decisions(settings.dedupWindow().toNanos(), loop, log, time);
        this.evidence = new EvidenceBook(settings.federation(), settings.signing().enabled());
    }

    /** How long a commit waits for this cluster's own vote, being signed, before it goes out without it. */
    static final long OWN_VOTE_WAIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
    /** Commits decided while this cluster's own yes was still being signed: they wait for it. */
    private final Map<RoundId, Deferred> awaitingOwnVote = new java.util.HashMap<>();
    private java.util.function.Predicate<RoundId> ownVoteSigning = round -> false;

    private record Deferred(Decision decision, CoordinatedRound round) {
    }

    /**
     * Tells the coordinator how to know that this cluster's own vote in a round is being signed (the voter's
     * signer batches it): a commit decided meanwhile waits for that vote, so the cluster that opened the round is in
     * its certificate, and delivers, as it would be had its vote come first.
     */
    public void ownVotes(java.util.function.Predicate<RoundId> signing) {
        this.ownVoteSigning = signing;
    }

    public ConsensusStatistics statistics() {
        return engine.statistics();
    }

    public io.mpreg.api.LatencyBuckets decisionBuckets() {
        return engine.decisionBuckets();
    }

    public List<io.mpreg.consensus.RoundSnapshot> openRounds() {
        return engine.openRoundSnapshots();
    }

    // ---- coordinator ----

    /**
     * A voted send. With batching on (the default) it joins the sends that come while the loop works through the
     * tasks queued now, and those with the same options and queue share a round (up to {@value #MESSAGES_PER_ROUND}
     * messages and {@code roundBytes}); no timer, so a lone send waits for nothing. Off, every send has a round of its
     * own.
     */
    public void start(Message message, DeliveryOptions options, CompletableFuture<DeliveryResult> future) {
        if (options.targets().isEmpty()) {
            future.completeExceptionally(new IllegalArgumentException(options.guarantee() + " needs target clusters"));
            return;
        }
        Send send = new Send(message, options, future);
        if (!settings.batching()) {
            admit(List.of(send));
            return;
        }
        forming.add(send);
        if (!formPosted) {
            formPosted = true;
            loop.execute(this::form); // behind the tasks queued now: the sends among them join these
        }
    }

    /** Groups the sends that came since the last call into rounds and admits them, in the order they came. */
    private void form() {
        formPosted = false;
        List<Send> sends = forming;
        forming = new ArrayList<>();
        Map<Group, List<Send>> groups = new LinkedHashMap<>();
        for (Send s : sends) {
            groups.computeIfAbsent(new Group(s.options(), s.message().queue()), g -> new ArrayList<>()).add(s);
        }
        for (List<Send> group : groups.values()) {
            List<Send> round = new ArrayList<>();
            long bytes = 0;
            for (Send s : group) {
                long size = sizeOf(s.message());
                if (!round.isEmpty() && (round.size() == MESSAGES_PER_ROUND || bytes + size > roundBytes)) {
                    admit(round);
                    round = new ArrayList<>();
                    bytes = 0;
                }
                round.add(s);
                bytes += size;
            }
            admit(round);
        }
    }

    /** About what {@code m} takes in a PREPARE. */
    private static long sizeOf(Message m) {
        long size = 64L + m.payload().length + m.queue().length();
        for (Map.Entry<String, String> h : m.headers().entrySet()) {
            size += 8L + 3L * (h.getKey().length() + h.getValue().length());
        }
        return size;
    }

    /** Opens a round of {@code sends} now, or queues it behind the open ones, or refuses it when that queue is full. */
    private void admit(List<Send> sends) {
        if (engine.openRounds() < settings.maxConcurrentRounds()) {
            open(sends);
        } else if (waiting.size() < settings.maxWaitingRounds()) {
            waiting.addLast(sends);
        } else {
            counters.admissionRefused.add(sends.size());
            refuse(sends, AbortReason.REJECTED, "coordinator " + self + " is full: "
                    + engine.openRounds() + " rounds open and " + waiting.size() + " waiting (limits "
                    + settings.maxConcurrentRounds() + " and " + settings.maxWaitingRounds() + ")");
        }
    }

    private void open(List<Send> sends) {
        DeliveryOptions options = sends.get(0).options();
        sequence = RoundNumbers.next(sequence, settings.wallClock());
        RoundId id = new RoundId(self, sequence);
        boolean byzantine = options.guarantee() == DeliveryGuarantee.BYZANTINE_QUORUM;
        QuorumPolicy policy = byzantine ? QuorumPolicy.byzantine(options.byzantineTolerance())
                : QuorumPolicy.fraction(options.threshold());
        WeightTable snapshot = table.get(); // the round keeps the table it opened with
        Duration timeout = timeouts.resolve(options);
        if (timeout.compareTo(RoundTerms.MAX_TIMEOUT) > 0) {
            refuse(sends, AbortReason.REJECTED, "timeout " + timeout + " is beyond the "
                    + RoundTerms.MAX_TIMEOUT + " a voted round may take");
            admitNext();
            return;
        }
        List<Digest> messageDigests = new ArrayList<>(sends.size());
        sends.forEach(s -> messageDigests.add(Digests.of(s.message())));
        Digest roundDigest = CommitCertificate.roundDigest(messageDigests);
        RoundTerms terms;
        Digest proposal;
        try {
            VoterSet voters = VoterSet.of(options.targets());
            // the weights the engine snapshots, stated in the terms every vote signs
            long[] weights = engine.effectiveWeights(id, voters, snapshot);
            SortedMap<ClusterId, Long> stated = new TreeMap<>();
            for (int i = 0; i < weights.length; i++) {
                stated.put(voters.get(i), weights[i]);
            }
            terms = new RoundTerms(snapshot.version(), snapshot.hash(), options.guarantee(),
                    byzantine ? Threshold.ALL : options.threshold(), byzantine ? options.byzantineTolerance() : 0,
                    stated);
            proposal = terms.proposal(roundDigest);
            engine.open(new RoundSpec(id, proposal, voters, snapshot, policy, timeout));
        } catch (ConsensusException e) {
            if (e.plugin() != null) {
                counters.pluginFailures.increment();
                LOG.error("{}: refused a {} send: {}", settings.node(), options.guarantee(), e.getMessage(),
                        e.getCause());
            }
            refuse(sends, e.reason(), e.getMessage());
            admitNext();
            return;
        } catch (IllegalArgumentException e) {
            refuse(sends, AbortReason.REJECTED, e.getMessage());
            admitNext();
            return;
        }
        CoordinatedRound round = new CoordinatedRound(id, sends, messageDigests, proposal, terms, snapshot, timeout);
        if (sends.size() > 1) {
            counters.sharedRounds.increment();
            counters.sharedRoundMessages.add(sends.size());
        }
        coordinating.put(id, round);
        armExpiry();
        decided.opened(id, options.targets());
        log.afterSync(() -> { // a target holds nothing for a round its coordinator could forget
            for (ClusterId target : options.targets()) {
                if (coordinating.get(id) != round) {
                    return; // decided already (for example: the own refusal made the quorum impossible)
                }
                prepare(round, target);
            }
            loop.schedule(retryDelay(round.attempts), () -> resendPrepares(round));
        });
    }

    private void prepare(CoordinatedRound round, ClusterId target) {
        WireMessage.Prepare p = new WireMessage.Prepare(round.id, target, round.messages, round.digest, round.terms,
                round.timeout.toMillis(), List.of(self));
        if (target.equals(self)) {
            network.local(p); // this node's own voter, at once
        } else {
            network.sendToward(p, round.options.redundancy()); // several routes: a target cannot hide behind one
        }
    }

    private void resendPrepares(CoordinatedRound round) {
        if (coordinating.get(round.id) != round) {
            return;
        }
        round.attempts++;
        for (ClusterId target : round.options.targets()) {
            if (!round.voted.contains(target)) {
                counters.retries.increment();
                prepare(round, target);
            }
        }
        loop.schedule(retryDelay(round.attempts), () -> resendPrepares(round));
    }

    private void refuse(List<Send> sends, AbortReason reason, String why) {
        for (Send s : sends) {
            counters.failed.increment();
            s.future().complete(new DeliveryResult(s.message().id(), s.options().guarantee(), false, new TreeSet<>(),
                    new TreeSet<>(), new TreeMap<>(Map.of(self, why)), reason));
        }
    }

    /**
     * A vote for a round of this coordinator. Its signature was checked where the frame was decoded
     * ({@link #acceptsSignature}); here it must also be bound to the round's weight-table version.
     */
    public void onVote(WireMessage.VoteFrame frame) {
        Vote vote = frame.vote();
        CoordinatedRound round = coordinating.get(vote.round());
        if (round == null && vote.voter().equals(self) && awaitingOwnVote.containsKey(vote.round())) {
            Deferred deferred = awaitingOwnVote.remove(vote.round());
            boolean yes = vote.verdict() == io.mpreg.api.Verdict.YES && vote.digest().equals(deferred.round().digest)
                    && frame.tableVersion() == deferred.round().table.version();
            if (yes) {
                evidence.counted(deferred.round().firstVotes, frame);
            }
            decide(deferred.decision(), deferred.round(), yes);
            return;
        }
        if (round == null) {
            Decisions.Outcome outcome = decided.get(vote.round());
            if (outcome != null) { // the voter missed the decision and asks again (answered once it is logged)
                log.afterSync(() -> tell(vote.round(), outcome, List.of(vote.voter()), 1));
            }
            // counted as late or stray there (a late equivocation comes back in onLateFault)
            evidence.late(frame, () -> engine.onVote(vote));
            return;
        }
        if (frame.tableVersion() != round.table.version()) {
            counters.votesRejected.increment(); // cast under another table: not this round's vote
            LOG.debug("{}: vote of {} for round {} under table {} refused, the round has {}", settings.node(),
                    vote.voter(), vote.round(), frame.tableVersion(), round.table.version());
            return;
        }
        round.voted.add(vote.voter());
        evidence.counted(round.firstVotes, frame);
        if (engine.onVote(vote) == io.mpreg.consensus.VoteEffect.SUSPECTED) {
            if (round.flagged.add(vote.voter())) {
                // counted when found, not at the decision: a round cut short (this node closing) still counts it
                counters.suspected(vote.voter());
            }
            // also when this very vote decided the round (its decision counted the fault first): found by the
            // simulator, seed 149
            evidence.suspected(round.firstVotes, frame);
        }
    }

    /** Whether a vote frame arriving for this coordinator may be counted: signed by its voter (thread-safe). */
    public boolean acceptsSignature(WireMessage.VoteFrame frame) {
        return settings.signing().accepts(frame.signed(settings.federation()));
    }

    /** The equivocation proved as a coordinator, oldest first (the most recent {@value EvidenceBook#PROOFS_KEPT}). */
    public List<SignedEquivocation> evidence() {
        return evidence.proofs();
    }

    @Override
    public void onDecision(Decision d) {
        CoordinatedRound round = coordinating.remove(d.round());
        if (round == null) {
            return;
        }
        if (d.committed() && round.terms.weights().containsKey(self) && !round.firstVotes.containsKey(self)
                && ownVoteSigning.test(d.round())) {
            // this cluster's own yes is being signed, a local call away: the commit waits for it (at most a second)
            awaitingOwnVote.put(d.round(), new Deferred(d, round));
            evidence.decided(d.round(), round.firstVotes); // votes arriving meanwhile are late: provable, as after
            loop.schedule(OWN_VOTE_WAIT_NANOS, () -> {
                Deferred late = awaitingOwnVote.remove(d.round());
                if (late != null) {
                    decide(late.decision(), late.round(), false);
                }
            });
            return;
        }
        decide(d, round, false);
    }

    /** Records and announces {@code d}; with {@code withOwnVote}, this cluster's yes joins the certificate. */
    private void decide(Decision d, CoordinatedRound round, boolean withOwnVote) {
        Decisions.Outcome outcome;
        if (d.committed()) {
            // the certificate: each accepted voter's signed yes vote (its first vote; a voter that contradicted it
            // was excluded and is not among the accepted), and this cluster's own if the commit waited for it
            SortedMap<ClusterId, byte[]> certificate = new TreeMap<>();
            for (ClusterId voter : d.acceptedBy()) {
                certificate.put(voter, round.firstVotes.get(voter).signature());
            }
            if (withOwnVote) {
                certificate.put(self, round.firstVotes.get(self).signature());
            }
            outcome = new Decisions.Outcome(null, round.digest, round.table.version(), certificate);
        } else {
            outcome = Decisions.Outcome.abort(d.reason());
        }
        decided.decided(d.round(), outcome);
        evidence.decided(d.round(), round.firstVotes);
        admitNext();
        announcing.put(d.round(), new Announcement(d, round, outcome));
        log.afterSync(() -> { // told to no one before it is on disk
            if (announcing.remove(d.round()) != null) { // (unless the node closed meanwhile)
                announce(d, round, outcome, true);
            }
        });
    }

    /** Sends {@code outcome} of {@code round} to {@code targets}; an ABORT once it is signed (off the loop). */
    private void tell(RoundId round, Decisions.Outcome outcome, Collection<ClusterId> targets, int redundancy) {
        if (outcome.committed()) {
            targets.forEach(target -> send(outcome.commitFrame(round, target, List.of(self)), redundancy));
        } else if (!settings.signing().enabled()) {
            targets.forEach(target -> send(WireMessage.DecisionFrame.abort(round, target, outcome.reason(),
                    new byte[0], List.of(self)), redundancy));
        } else {
            List<ClusterId> to = List.copyOf(targets);
            settings.signer().execute(() -> {
                byte[] signature = settings.signing().signAbort(round, outcome.reason());
                loop.execute(() -> to.forEach(target -> send(WireMessage.DecisionFrame.abort(round, target,
                        outcome.reason(), signature, List.of(self)), redundancy)));
            });
        }
    }

    private void send(WireMessage.DecisionFrame frame, int redundancy) {
        if (frame.target().equals(self)) {
            network.local(frame);
        } else {
            network.sendToward(frame, redundancy);
        }
    }

    private void announce(Decision d, CoordinatedRound round, Decisions.Outcome outcome, boolean tellTargets) {
        if (tellTargets) {
            tell(d.round(), outcome, round.options.targets(), round.options.redundancy());
        }
        SortedMap<ClusterId, String> failures = new TreeMap<>(d.refusedBy());
        d.silent().forEach(c -> failures.put(c, "no vote before the decision"));
        if (!d.faults().isEmpty()) {
            LOG.warn("{}: round {} raised {}", settings.node(), d.round(), d.faults());
            d.faults().stream().filter(fault -> round.flagged.add(fault.suspect()))
                    .forEach(fault -> counters.suspected(fault.suspect()));
        }
        if (!d.committed() && round.sends.size() > 1 && tellTargets && d.reason() == AbortReason.QUORUM_IMPOSSIBLE
                && !d.refusedBy().isEmpty()) {
            // targets refused a round of several messages: each gets a round of its own, so what one of them lacks
            // (its queue, a slot, an id not delivered yet) decides no other's outcome
            LOG.debug("{}: round {} of {} messages refused by {}: each goes again alone", settings.node(), d.round(),
                    round.sends.size(), d.refusedBy());
            round.sends.forEach(s -> admit(List.of(s)));
            return;
        }
        List<Digest> roundMessages = round.sends.size() > 1 ? round.messageDigests : List.of();
        // one set of votes for all the round's certificates (rebuilding it per message hashed the list n times)
        CommitCertificate first = d.committed() ? CommitCertificate.of(settings.federation(), d.round(),
                round.messageDigests.get(0), roundMessages, round.terms, outcome.certificate()) : null;
        for (int i = 0; i < round.sends.size(); i++) {
            Send send = round.sends.get(i);
            DeliveryResult result;
            if (d.committed()) {
                counters.succeeded.increment();
                counters.recordAckLatency(d.elapsed().toNanos());
                result = DeliveryResult.committed(send.message().id(), round.options.guarantee(),
                        first.withMessage(round.messageDigests.get(i)), failures);
            } else {
                counters.failed.increment();
                result = new DeliveryResult(send.message().id(), round.options.guarantee(), false, new TreeSet<>(),
                        new TreeSet<>(), failures, d.reason());
            }
            send.future().complete(result);
        }
    }

    @Override
    public void onLateFault(RoundId round, io.mpreg.api.spi.fault.Suspicion suspicion) {
        LOG.warn("{}: a late vote in decided round {} proved {}", settings.node(), round, suspicion);
        counters.suspected(suspicion.suspect());
        evidence.lateFault(round, suspicion.suspect());
    }

    /** One timer for the earliest open deadline (not one per round): rounds mostly decide long before theirs. */
    private void armExpiry() {
        long next = engine.nextDeadline();
        if (next == Long.MAX_VALUE || expiry != null && expiryAt - next <= 0) {
            return;
        }
        if (expiry != null) {
            expiry.cancel();
        }
        expiryAt = next;
        expiry = loop.schedule(next - loop.nanoTime(), () -> {
            expiry = null;
            engine.expire();
            armExpiry();
        });
    }

    /** {@code cluster} cannot vote any more (unreachable): the open rounds decide without it. */
    public void departed(ClusterId cluster, String why) {
        engine.departed(cluster, why);
    }

    private void admitNext() {
        while (!waiting.isEmpty() && engine.openRounds() < settings.maxConcurrentRounds()) {
            open(waiting.pollFirst());
        }
    }

    public void close() {
        for (CoordinatedRound round : List.copyOf(coordinating.values())) {
            refuse(round.sends, AbortReason.CANCELLED, "node closed");
        }
        coordinating.clear();
        for (Deferred d : List.copyOf(awaitingOwnVote.values())) { // decided, not yet recorded: as an open round
            refuse(d.round().sends, AbortReason.CANCELLED, "node closed");
        }
        awaitingOwnVote.clear();
        for (List<Send> w : waiting) {
            refuse(w, AbortReason.CANCELLED, "node closed");
        }
        waiting.clear();
        refuse(forming, AbortReason.CANCELLED, "node closed");
        forming.clear(); // decided rounds whose decision is not on disk yet wait for the log's close: logClosed
    }

    /**
     * The node closed and its log with it: the callers of rounds decided whose decision was not on disk yet learn
     * the decision if the log wrote it on close, or CANCELLED if it could not (it is not on disk, so after a restart
     * the round ends as ABORT).
     */
    public void logClosed(boolean synced) {
        for (Announcement a : List.copyOf(announcing.values())) {
            if (synced) {
                announce(a.decision(), a.round(), a.outcome(), false);
            } else {
                refuse(a.round().sends, AbortReason.CANCELLED,
                        "node closed before its decision was on disk");
            }
        }
        announcing.clear();
    }

    private long retryDelay(int attempt) {
        return settings.retryDelay(attempt);
    }

    // ---- the log ----

    /** Takes one replayed record; false if it is not a coordinator's. Call before {@link #recovered}. */
    public boolean replay(byte type, byte[] payload) {
        RoundId round = decided.replay(type, payload);
        if (round == null) {
            return false;
        }
        if (round.coordinator().equals(self)) {
            sequence = Math.max(sequence, round.sequence()); // numbered above every round in the log
        }
        return true;
    }

    /**
     * The log is replayed: the rounds this coordinator opened and had not decided before its restart end as ABORT
     * (CANCELLED), logged, and their targets are told (those not reachable yet learn it when they ask again).
     *
     * @return how many rounds ended so
     */
    public int recovered() {
        int n = decided.endUndecided(AbortReason.CANCELLED, (round, targets) -> tell(round,
                Decisions.Outcome.abort(AbortReason.CANCELLED), targets, 1));
        if (n > 0) {
            LOG.info("{}: {} rounds opened before the restart and not decided end as ABORT", settings.node(), n);
        }
        return n;
    }

    /** Writes the decisions still remembered and the open rounds, for a snapshot. */
    public void snapshot(Journal.Sink sink) {
        Map<RoundId, List<ClusterId>> open = new LinkedHashMap<>();
        coordinating.forEach((id, r) -> open.put(id, List.copyOf(r.options.targets())));
        decided.snapshot(sink, open);
    }
}
