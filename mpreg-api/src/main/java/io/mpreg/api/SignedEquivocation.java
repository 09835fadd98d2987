package io.mpreg.api;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * Transferable proof that a cluster equivocated: two votes of one voter in one round of one federation that say
 * different things (verdict or digest), each signed by the voter. Anyone holding the voter's public key can check it
 * offline with {@link #verify}; nothing else is needed (no trust in the node that found it). {@link #toText()} and
 * {@link #parse} give the evidence-file form that {@code mpreg verify-evidence} reads.
 *
 * @param first  the vote that arrived first
 * @param second the conflicting vote
 * @since 0.3.0
 */
public record SignedEquivocation(SignedVote first, SignedVote second) {
    private static final String HEADER = "# MPREG equivocation evidence v1";

    public SignedEquivocation {
        if (first == null || second == null) {
            throw new IllegalArgumentException("equivocation evidence needs two signed votes, got " + first + ", "
                    + second);
        }
        if (!first.federation().equals(second.federation())) {
            throw new IllegalArgumentException("the votes are from different federations: " + first.federation()
                    + ", " + second.federation());
        }
        if (!first.vote().conflictsWith(second.vote())) {
            throw new IllegalArgumentException("votes " + first.vote() + " and " + second.vote() + " do not prove"
                    + " equivocation: they need the same round and voter and a different verdict or digest");
        }
    }

    /** The cluster the evidence accuses. */
    public ClusterId accused() {
        return first.vote().voter();
    }

    /** Whether both votes carry valid signatures by {@code voterKey}: then the voter equivocated. */
    public boolean verify(PublicKey voterKey) {
        return first.verify(voterKey) && second.verify(voterKey);
    }

    /** The evidence-file text: one {@code key=value} per line, binary fields in hex or base64. */
    public String toText() {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        out.append("federation=").append(first.federation()).append('\n');
        out.append("voter=").append(accused().value()).append('\n');
        out.append("round.coordinator=").append(first.vote().round().coordinator().value()).append('\n');
        out.append("round.sequence=").append(first.vote().round().sequence()).append('\n');
        write(out, "first", first);
        write(out, "second", second);
        return out.toString();
    }

    private static void write(StringBuilder out, String which, SignedVote v) {
        out.append(which).append(".tableVersion=").append(v.tableVersion()).append('\n');
        out.append(which).append(".verdict=").append(v.vote().verdict().name()).append('\n');
        out.append(which).append(".digest=").append(HexFormat.of().formatHex(v.vote().digest().toBytes()))
                .append('\n');
        out.append(which).append(".reason=").append(Base64.getEncoder().encodeToString(
                v.vote().reason().getBytes(StandardCharsets.UTF_8))).append('\n');
        out.append(which).append(".signature=").append(Base64.getEncoder().encodeToString(v.signature()))
                .append('\n');
    }

    /**
     * Reads the evidence-file text.
     *
     * @throws IllegalArgumentException naming the missing or malformed key, or if the votes do not conflict
     */
    public static SignedEquivocation parse(String text) {
        Map<String, String> fields = KeyValueText.parse(text, HEADER, "evidence");
        String federation = field(fields, "federation");
        ClusterId voter = ClusterId.of(field(fields, "voter"));
        RoundId round = new RoundId(ClusterId.of(field(fields, "round.coordinator")),
                number(fields, "round.sequence"));
        return new SignedEquivocation(read(fields, "first", federation, voter, round),
                read(fields, "second", federation, voter, round));
    }

    private static SignedVote read(Map<String, String> f, String which, String federation, ClusterId voter,
                                   RoundId round) {
        try {
            Verdict verdict = Verdict.valueOf(field(f, which + ".verdict"));
            Digest digest = Digest.fromBytes(HexFormat.of().parseHex(field(f, which + ".digest")));
            String reason = new String(Base64.getDecoder().decode(field(f, which + ".reason")),
                    StandardCharsets.UTF_8);
            byte[] signature = Base64.getDecoder().decode(field(f, which + ".signature"));
            return new SignedVote(federation, number(f, which + ".tableVersion"),
                    new Vote(round, voter, verdict, digest, reason), signature);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("evidence vote '" + which + "' is malformed: " + e.getMessage(), e);
        }
    }

    private static String field(Map<String, String> f, String key) {
        String v = f.get(key);
        if (v == null) {
            throw new IllegalArgumentException("evidence is missing '" + key + "'");
        }
        return v;
    }

    private static long number(Map<String, String> f, String key) {
        try {
            return Long.parseLong(field(f, key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("evidence '" + key + "' must be a whole number, got '" + f.get(key)
                    + "'");
        }
    }
}
