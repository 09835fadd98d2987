package io.mpreg.federation.internal.round;

import io.mpreg.api.ClusterId;
import io.mpreg.api.SignedVote;
import io.mpreg.api.Verdict;
import io.mpreg.api.Vote;
import io.mpreg.federation.internal.wire.WireMessage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a target checks of a COMMIT before it applies it, against the PREPARE it voted on: the certificate's votes
 * must be targets' yes votes for this round's proposal and table version and hold the quorum under the round's terms,
 * and enough of their signatures must be its voters' to hold the quorum on their own. A target verifies only those
 * (its own vote it compares byte for byte; others in cluster order until the weight suffices): a signature it does not
 * need for the quorum decides nothing here. Stateless.
 */
final class CertificateCheck {
    private CertificateCheck() {
    }

    /** Why {@code d} cannot prove the commit of {@code p}'s round, or null (its signatures still to be verified). */
    static String refusal(WireMessage.Prepare p, SignedVote mine, WireMessage.DecisionFrame d) {
        if (!d.proposal().equals(p.digest()) || d.tableVersion() != p.tableVersion()) {
            return "its certificate is for proposal " + d.proposal() + " under table v" + d.tableVersion()
                    + ", this cluster voted for " + p.digest() + " under v" + p.tableVersion();
        }
        long yes = 0;
        for (Map.Entry<ClusterId, byte[]> e : d.certificate().entrySet()) {
            Long w = p.terms().weights().get(e.getKey());
            if (w == null) {
                return "its certificate holds a vote of " + e.getKey() + ", not a target";
            }
            if (e.getKey().equals(mine.vote().voter()) && !Arrays.equals(e.getValue(), mine.signature())) {
                return "its certificate misstates this cluster's own vote";
            }
            yes += w;
        }
        long required = p.terms().requiredWeight();
        return yes >= required ? null : "its certificate holds weight " + yes + ", the round needs " + required;
    }

    /**
     * The votes of {@code d} a target must verify: other signers' (in cluster order) until, with its own, they hold the
     * quorum. Call after {@link #refusal} found none.
     */
    static List<SignedVote> toVerify(String federation, WireMessage.Prepare p, ClusterId self,
                                     WireMessage.DecisionFrame d) {
        long required = p.terms().requiredWeight();
        long yes = d.certificate().containsKey(self) ? p.terms().weights().get(self) : 0;
        List<SignedVote> out = new ArrayList<>();
        for (Map.Entry<ClusterId, byte[]> e : d.certificate().entrySet()) {
            if (yes >= required) {
                break;
            }
            if (!e.getKey().equals(self)) {
                out.add(new SignedVote(federation, d.tableVersion(), new Vote(d.round(), e.getKey(), Verdict.YES,
                        d.proposal()), e.getValue()));
                yes += p.terms().weights().get(e.getKey());
            }
        }
        return out;
    }
}
