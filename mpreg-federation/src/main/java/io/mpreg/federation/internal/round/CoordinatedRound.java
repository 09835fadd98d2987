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
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/** A round a {@link RoundCoordinator} runs: what it sends, the table it opened with, who voted. Loop-thread only. */
final class CoordinatedRound {
    final RoundId id;
    final Message message;
    final DeliveryOptions options;
    final Digest messageDigest;
    /** The proposal the votes sign: the message digest bound to the terms. */
    final Digest digest;
    final RoundTerms terms;
    final WeightTable table;
    final Duration timeout;
    final CompletableFuture<DeliveryResult> future;
    final SortedSet<ClusterId> voted = new TreeSet<>();
    final SortedSet<ClusterId> flagged = new TreeSet<>();
    // each voter's first vote with its signature: half of the evidence if the voter equivocates later
    final Map<ClusterId, WireMessage.VoteFrame> firstVotes = EvidenceBook.firstVotes();
    int attempts = 1;

    CoordinatedRound(RoundId id, Message message, DeliveryOptions options, Digest messageDigest, RoundTerms terms,
                     WeightTable table, Duration timeout, CompletableFuture<DeliveryResult> future) {
        this.messageDigest = messageDigest;
        this.terms = terms;
        this.digest = terms.proposal(messageDigest);
        this.table = table;
        this.timeout = timeout;
        this.id = id;
        this.message = message;
        this.options = options;
        this.future = future;
    }
}
