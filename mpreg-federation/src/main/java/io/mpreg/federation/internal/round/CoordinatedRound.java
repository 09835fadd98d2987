package io.mpreg.federation.internal.round;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Digest;
import io.mpreg.api.Message;
import io.mpreg.api.RoundId;
import io.mpreg.api.RoundTerms;
import io.mpreg.consensus.WeightTable;
import io.mpreg.federation.internal.wire.WireMessage;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * A round a {@link RoundCoordinator} runs: the messages it decides (one, or several sent with the same options), what
 * it sends, the table it opened with, who voted. Loop-thread only.
 */
final class CoordinatedRound {
    /** One message of the round, and the caller waiting for its outcome. */
    record Send(Message message, DeliveryOptions options, CompletableFuture<DeliveryResult> future) {
    }

    final RoundId id;
    final List<Send> sends;
    final List<Message> messages;
    final DeliveryOptions options;
    /** Each message's digest, in the round's order. */
    final List<Digest> messageDigests;
    /** The proposal the votes sign: the digest of the round's messages bound to the terms. */
    final Digest digest;
    final RoundTerms terms;
    final WeightTable table;
    final Duration timeout;
    final SortedSet<ClusterId> voted = new TreeSet<>();
    final SortedSet<ClusterId> flagged = new TreeSet<>();
    // each voter's first vote with its signature: half of the evidence if the voter equivocates later
    final Map<ClusterId, WireMessage.VoteFrame> firstVotes = EvidenceBook.firstVotes();
    int attempts = 1;

    CoordinatedRound(RoundId id, List<Send> sends, List<Digest> messageDigests, Digest proposal, RoundTerms terms,
                     WeightTable table, Duration timeout) {
        this.messageDigests = List.copyOf(messageDigests);
        this.terms = terms;
        this.digest = proposal;
        this.table = table;
        this.timeout = timeout;
        this.id = id;
        this.sends = sends;
        this.options = sends.get(0).options();
        List<Message> all = new java.util.ArrayList<>(sends.size());
        sends.forEach(s -> all.add(s.message()));
        this.messages = List.copyOf(all);
    }
}
