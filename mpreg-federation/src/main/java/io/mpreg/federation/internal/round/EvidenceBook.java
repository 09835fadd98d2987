package io.mpreg.federation.internal.round;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.mpreg.api.ClusterId;
import io.mpreg.api.RoundId;
import io.mpreg.api.SignedEquivocation;
import io.mpreg.federation.internal.wire.WireMessage;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a coordinator keeps to prove equivocation to a third party: each voter's first vote of a round with its
 * signature (in the round while it is open, here for the most recent {@value #DECIDED_KEPT} decided rounds, whose
 * late votes the engine still inspects), and the proofs found, the most recent {@value #PROOFS_KEPT}. Unsigned votes
 * (an insecure federation) prove nothing, so then nothing is kept. Owned by the event loop.
 */
public final class EvidenceBook {
    public static final int DECIDED_KEPT = 4_096;
    public static final int PROOFS_KEPT = 1_024;

    private final String federation;
    private final boolean signed;
    private final Cache<RoundId, Map<ClusterId, WireMessage.VoteFrame>> decided = Caffeine.newBuilder()
            .maximumSize(DECIDED_KEPT).executor(Runnable::run).build();
    private final ArrayDeque<SignedEquivocation> proofs = new ArrayDeque<>();
    private WireMessage.VoteFrame late;

    public EvidenceBook(String federation, boolean signed) {
        this.federation = federation;
        this.signed = signed;
    }

    /** A fresh record of first votes for a round that opens. */
    public static Map<ClusterId, WireMessage.VoteFrame> firstVotes() {
        return new TreeMap<>();
    }

    /** A counted vote of an open round: kept if it is its voter's first. */
    public void counted(Map<ClusterId, WireMessage.VoteFrame> firstVotes, WireMessage.VoteFrame frame) {
        firstVotes.putIfAbsent(frame.vote().voter(), frame);
    }

    /** The engine suspected {@code frame}'s voter in an open round (or in the decision this vote caused). */
    public void suspected(Map<ClusterId, WireMessage.VoteFrame> firstVotes, WireMessage.VoteFrame frame) {
        keep(firstVotes.get(frame.vote().voter()), frame);
    }

    /** A round decided: its first votes stay for the late votes the engine still inspects. */
    public void decided(RoundId round, Map<ClusterId, WireMessage.VoteFrame> firstVotes) {
        decided.put(round, firstVotes);
    }

    /**
     * Runs {@code inspect} (the engine handling a vote for a round no longer open) with {@code frame} at hand, so
     * that a late fault it reports ({@link #lateFault}) can be proved with it.
     */
    public void late(WireMessage.VoteFrame frame, Runnable inspect) {
        Map<ClusterId, WireMessage.VoteFrame> first = decided.getIfPresent(frame.vote().round());
        if (first != null) {
            first.putIfAbsent(frame.vote().voter(), frame); // a voter whose both votes come late: keep the first
        }
        late = frame;
        try {
            inspect.run();
        } finally {
            late = null;
        }
    }

    /** The engine proved {@code suspect} faulty with the late vote now being inspected. */
    public void lateFault(RoundId round, ClusterId suspect) {
        Map<ClusterId, WireMessage.VoteFrame> first = decided.getIfPresent(round);
        if (first != null && late != null) {
            keep(first.get(suspect), late);
        }
    }

    /** The proofs found, oldest first. */
    public List<SignedEquivocation> proofs() {
        return List.copyOf(proofs);
    }

    private void keep(WireMessage.VoteFrame first, WireMessage.VoteFrame second) {
        if (first == null || !signed || !first.vote().conflictsWith(second.vote())) {
            return;
        }
        if (proofs.stream().anyMatch(e -> e.first().vote().round().equals(first.vote().round())
                && e.accused().equals(first.vote().voter()))) {
            return; // one proof per voter and round
        }
        proofs.addLast(new SignedEquivocation(first.signed(federation), second.signed(federation)));
        while (proofs.size() > PROOFS_KEPT) {
            proofs.removeFirst();
        }
    }
}
