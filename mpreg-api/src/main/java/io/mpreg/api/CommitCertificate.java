package io.mpreg.api;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Proof that a voted round committed: the signed yes votes of clusters whose weight in the round reaches the round's
 * quorum, each for the round's {@link RoundTerms#proposal proposal} (the message digest bound to the round's terms).
 * A target applies a COMMIT only with a certificate it checked; anyone holding the clusters' vote keys can check one
 * offline ({@link #verify}, {@code mpreg verify-certificate}), trusting neither the coordinator nor the node that
 * hands it over. {@link #toText()} and {@link #parse} give the certificate-file form.
 *
 * <p>A round may decide several messages at once (sends with the same options that waited together): its votes are
 * then for the proposal of {@link #roundDigest the digest of all of them}, and each message's certificate lists the
 * digests of the round's messages, so it proves that message with no trust in who hands it over.
 *
 * @param federation    the federation the round ran in
 * @param round         the round
 * @param messageDigest the digest of the message committed
 * @param terms         the round's terms
 * @param votes         the yes votes, at most one per cluster
 * @param roundMessages the digests of every message the round decided, in the round's order, {@code messageDigest}
 *                      among them; empty when the round decided this message alone
 * @since 0.5.0
 */
public record CommitCertificate(String federation, RoundId round, Digest messageDigest, RoundTerms terms,
                                List<SignedVote> votes, List<Digest> roundMessages) {
    private static final String HEADER = "# MPREG commit certificate v1";
    private static final byte[] MESSAGES_DOMAIN = "MPREG-MESSAGES-v1".getBytes(StandardCharsets.US_ASCII);
    /** The most messages one round decides. */
    public static final int MAX_ROUND_MESSAGES = 1024;

    public CommitCertificate {
        if (federation == null || federation.isEmpty() || round == null || messageDigest == null || terms == null
                || votes == null || roundMessages == null) {
            throw new IllegalArgumentException("a certificate needs a federation, a round, a message digest, terms, "
                    + "votes and the round's messages, got " + federation + ", " + round + ", " + messageDigest + ", "
                    + terms + ", " + votes + ", " + roundMessages);
        }
        if (roundMessages.size() == 1 || roundMessages.size() > MAX_ROUND_MESSAGES) {
            throw new IllegalArgumentException("a round's messages are listed when it decided 2 to "
                    + MAX_ROUND_MESSAGES + ", got " + roundMessages.size());
        }
        votes = List.copyOf(votes);
        roundMessages = List.copyOf(roundMessages);
    }

    /** The certificate of a round that decided one message. */
    public CommitCertificate(String federation, RoundId round, Digest messageDigest, RoundTerms terms,
                             List<SignedVote> votes) {
        this(federation, round, messageDigest, terms, votes, List.of());
    }

    /**
     * The digest a round's votes bind through its proposal: a lone message's own digest, or for several the SHA-256
     * of a domain tag, their count and their digests in order.
     *
     * @throws IllegalArgumentException if empty or more than {@value #MAX_ROUND_MESSAGES}
     * @since 0.6.0
     */
    public static Digest roundDigest(List<Digest> messages) {
        if (messages.isEmpty() || messages.size() > MAX_ROUND_MESSAGES) {
            throw new IllegalArgumentException("a round decides 1 to " + MAX_ROUND_MESSAGES + " messages, got "
                    + messages.size());
        }
        if (messages.size() == 1) {
            return messages.get(0);
        }
        byte[] all = new byte[4 + Digest.BYTES * messages.size()];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(all).putInt(messages.size());
        messages.forEach(d -> b.put(d.toBytes()));
        return Digest.sha256(MESSAGES_DOMAIN, all);
    }

    /**
     * The certificate of {@code round} from each signer's yes-vote signature (empty signatures in an insecure
     * federation): the votes are rebuilt from the terms, as every yes vote in the round says the same thing.
     */
    public static CommitCertificate of(String federation, RoundId round, Digest messageDigest, RoundTerms terms,
                                       SortedMap<ClusterId, byte[]> signatures) {
        return of(federation, round, messageDigest, List.of(), terms, signatures);
    }

    /**
     * As {@link #of(String, RoundId, Digest, RoundTerms, SortedMap)}, for a message of a round that decided
     * {@code roundMessages} (empty: this message alone).
     *
     * @since 0.6.0
     */
    public static CommitCertificate of(String federation, RoundId round, Digest messageDigest,
                                       List<Digest> roundMessages, RoundTerms terms,
                                       SortedMap<ClusterId, byte[]> signatures) {
        Digest proposal = terms.proposal(roundMessages.isEmpty() ? messageDigest : roundDigest(roundMessages));
        List<SignedVote> votes = new ArrayList<>(signatures.size());
        signatures.forEach((voter, signature) -> votes.add(new SignedVote(federation, terms.tableVersion(),
                new Vote(round, voter, Verdict.YES, proposal), signature)));
        return new CommitCertificate(federation, round, messageDigest, terms, votes, roundMessages);
    }

    /**
     * The certificate of another message of the same round: the same votes (shared, not rebuilt), for
     * {@code other}, which must be among {@link #roundMessages} to be proven.
     *
     * @since 0.6.0
     */
    public CommitCertificate withMessage(Digest other) {
        return new CommitCertificate(federation, round, other, terms, votes, roundMessages);
    }

    /** The digest the votes sign: the round's terms with its message, or with the digest of all its messages. */
    public Digest proposal() {
        return terms.proposal(roundMessages.isEmpty() ? messageDigest : roundDigest(roundMessages));
    }

    /** The clusters whose yes votes the certificate holds: the clusters the message is committed to. */
    public SortedSet<ClusterId> committedTo() {
        SortedSet<ClusterId> out = new TreeSet<>();
        votes.forEach(v -> out.add(v.vote().voter()));
        return Collections.unmodifiableSortedSet(out);
    }

    /** The yes-weight the certificate holds under its terms. */
    public long weight() {
        long sum = 0;
        for (ClusterId c : committedTo()) {
            sum += terms.weights().getOrDefault(c, 0L);
        }
        return sum;
    }

    /**
     * Checks the certificate with the clusters' vote public keys: every vote is a yes of a target of the round, in
     * this federation and table version, for the proposal, signed by its voter, one per voter; and together they hold
     * the round's required weight.
     *
     * @return why the certificate proves nothing, or empty if it proves the commit
     */
    public Optional<String> verify(Map<ClusterId, PublicKey> keys) {
        if (keys == null) {
            throw new IllegalArgumentException("verifying a certificate needs the vote keys");
        }
        return check(keys);
    }

    /**
     * {@link #verify} without the signatures, for an insecure federation whose votes are unsigned: it proves only
     * that the votes add up, not who cast them.
     */
    public Optional<String> verifyUnsigned() {
        return check(null);
    }

    private Optional<String> check(Map<ClusterId, PublicKey> keys) {
        if (!roundMessages.isEmpty() && !roundMessages.contains(messageDigest)) {
            return Optional.of("the message " + messageDigest + " is not among the round's " + roundMessages.size()
                    + " messages");
        }
        Digest proposal = proposal();
        SortedSet<ClusterId> seen = new TreeSet<>();
        long yes = 0;
        for (SignedVote v : votes) {
            ClusterId voter = v.vote().voter();
            String problem = !v.federation().equals(federation) ? "is from federation '" + v.federation() + "'"
                    : v.tableVersion() != terms.tableVersion() ? "is under table version " + v.tableVersion()
                    : !v.vote().round().equals(round) ? "is for round " + v.vote().round()
                    : v.vote().verdict() != Verdict.YES ? "is " + v.vote().verdict()
                    : !v.vote().digest().equals(proposal) ? "is for another proposal (" + v.vote().digest() + ")"
                    : !terms.weights().containsKey(voter) ? "is not a target's"
                    : !seen.add(voter) ? "appears twice"
                    : keys != null && !v.verify(keys.get(voter)) ? (keys.containsKey(voter)
                            ? "is not signed by its voter" : "has no known key") : null;
            if (problem != null) {
                return Optional.of("the vote of " + voter + " " + problem);
            }
            yes += terms.weights().get(voter);
        }
        long required;
        try {
            required = terms.requiredWeight();
        } catch (IllegalArgumentException e) {
            return Optional.of("the terms allow no quorum: " + e.getMessage());
        }
        if (yes < required) {
            return Optional.of("its votes hold weight " + yes + " of " + terms.totalWeight() + ", the round needs "
                    + required);
        }
        return Optional.empty();
    }

    /** The certificate-file text: one {@code key=value} per line, binary fields in hex or base64. */
    public String toText() {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        out.append("federation=").append(federation).append('\n');
        out.append("round.coordinator=").append(round.coordinator().value()).append('\n');
        out.append("round.sequence=").append(round.sequence()).append('\n');
        out.append("message.digest=").append(hex(messageDigest)).append('\n');
        if (!roundMessages.isEmpty()) {
            StringBuilder list = new StringBuilder();
            roundMessages.forEach(d -> list.append(list.length() == 0 ? "" : ",").append(hex(d)));
            out.append("round.messages=").append(list).append('\n');
        }
        out.append("table.version=").append(terms.tableVersion()).append('\n');
        out.append("table.hash=").append(hex(terms.tableHash())).append('\n');
        out.append("guarantee=").append(terms.guarantee().name()).append('\n');
        out.append("threshold=").append(terms.threshold().numerator()).append('/')
                .append(terms.threshold().denominator()).append('\n');
        out.append("byzantineTolerance=").append(terms.byzantineTolerance()).append('\n');
        terms.weights().forEach((c, w) -> out.append("weight.").append(c.value()).append('=').append(w).append('\n'));
        for (SignedVote v : votes) {
            out.append("vote.").append(v.vote().voter().value()).append('=')
                    .append(Base64.getEncoder().encodeToString(v.signature())).append('\n');
        }
        return out.toString();
    }

    /**
     * Reads the certificate-file text. Parsing checks the form only; {@link #verify} checks the proof.
     *
     * @throws IllegalArgumentException naming the missing or malformed key
     */
    public static CommitCertificate parse(String text) {
        Map<String, String> fields = KeyValueText.parse(text, HEADER, "certificate");
        try {
            SortedMap<ClusterId, Long> weights = new TreeMap<>();
            SortedMap<ClusterId, byte[]> signatures = new TreeMap<>();
            fields.forEach((k, v) -> {
                if (k.startsWith("weight.")) {
                    weights.put(ClusterId.of(k.substring(7)), number(k, v));
                } else if (k.startsWith("vote.")) {
                    signatures.put(ClusterId.of(k.substring(5)), Base64.getDecoder().decode(v));
                }
            });
            RoundTerms terms = new RoundTerms(number("table.version", field(fields, "table.version")),
                    digest(field(fields, "table.hash")), DeliveryGuarantee.valueOf(field(fields, "guarantee")),
                    Threshold.parse(field(fields, "threshold")),
                    (int) number("byzantineTolerance", field(fields, "byzantineTolerance")), weights);
            RoundId round = new RoundId(ClusterId.of(field(fields, "round.coordinator")),
                    number("round.sequence", field(fields, "round.sequence")));
            List<Digest> roundMessages = new ArrayList<>();
            String listed = fields.get("round.messages");
            if (listed != null) {
                for (String hex : listed.split(",", -1)) {
                    roundMessages.add(digest(hex));
                }
            }
            return of(field(fields, "federation"), round, digest(field(fields, "message.digest")), roundMessages,
                    terms, signatures);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed certificate: " + e.getMessage(), e);
        }
    }

    private static String hex(Digest d) {
        return HexFormat.of().formatHex(d.toBytes());
    }

    private static Digest digest(String hex) {
        return Digest.fromBytes(HexFormat.of().parseHex(hex));
    }

    private static String field(Map<String, String> f, String key) {
        String v = f.get(key);
        if (v == null) {
            throw new IllegalArgumentException("the certificate is missing '" + key + "'");
        }
        return v;
    }

    private static long number(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + key + "' must be a whole number, got '" + value + "'");
        }
    }
}
