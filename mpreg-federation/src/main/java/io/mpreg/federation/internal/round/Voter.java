package io.mpreg.federation.internal.round;

import io.mpreg.federation.internal.Counters;
import io.mpreg.federation.internal.NodeSettings;
import io.mpreg.federation.internal.delivery.Inbox;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
 */
public final class Voter {
    private static final Logger LOG = LoggerFactory.getLogger(Voter.class);
    public static final int LIMBO_ATTEMPTS = 8;

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
    private final Cache<RoundId, SignedVote> myVotes;
    private final Set<RoundId> signing = new HashSet<>();

    /** Votes in rounds this node coordinates go to its own coordinator through {@link Links#local} (no frame). */
    public Voter(NodeSettings settings, EventLoop loop, Counters counters, Inbox inbox, Links network,
          Supplier<WeightTable> table) {
        this.settings = settings;
        this.loop = loop;
        this.counters = counters;
        this.inbox = inbox;
        this.network = network;
        this.table = table;
        this.self = settings.node().cluster();
        this.myVotes = Caffeine.newBuilder().expireAfterWrite(settings.dedupWindow()).maximumSize(100_000)
                .ticker(loop::nanoTime).executor(Runnable::run).build();
    }

    public void onPrepare(WireMessage.Prepare p) {
        SignedVote earlier = myVotes.getIfPresent(p.round());
        if (earlier != null) {
            sendVote(earlier); // a retransmitted PREPARE gets the very same vote
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
        if (vote.vote().verdict() == Verdict.YES) {
            held.put(p.round(), new Held(p, vote));
            long wait = Duration.ofMillis(p.timeoutMillis()).toNanos() + settings.retryMax().toNanos();
            loop.schedule(wait, () -> askForDecision(p.round(), 1));
        }
        sendVote(vote);
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
            counters.limboAbandoned.increment();
            LOG.warn("{}: no decision for round {} after {} requests; dropped its message", settings.node(), round,
                    LIMBO_ATTEMPTS);
            return;
        }
        sendVote(h.vote());
        loop.schedule(settings.retryDelay(attempt + 2), () -> askForDecision(round, attempt + 1));
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
    }
}
