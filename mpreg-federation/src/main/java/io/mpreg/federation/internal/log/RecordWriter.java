package io.mpreg.federation.internal.log;

import io.mpreg.api.ClusterId;
import io.mpreg.api.Digest;
import io.mpreg.api.RoundId;
import io.mpreg.api.RoundTerms;
import io.mpreg.api.SignedVote;
import io.mpreg.api.Vote;
import io.mpreg.api.Message;
import io.mpreg.api.MessageId;
import io.mpreg.api.VectorClock;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

/**
 * Writes the payload of a log record: fixed-width numbers, length-prefixed UTF-8 strings and byte arrays, and the
 * API's value types, in a layout {@link RecordInput} reads back. Plain {@link DataOutputStream}: a record is small,
 * versioned by its type, and must read the same in every later version (no Kryo registration ids to keep stable).
 */
public final class RecordWriter {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    private final DataOutputStream out = new DataOutputStream(bytes);

    public RecordWriter putLong(long v) {
        try {
            out.writeLong(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public RecordWriter putInt(int v) {
        try {
            out.writeInt(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public RecordWriter putBoolean(boolean v) {
        return putInt(v ? 1 : 0);
    }

    public RecordWriter putString(String s) {
        return putBytes(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public RecordWriter putBytes(byte[] b) {
        putInt(b.length);
        try {
            out.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public RecordWriter putDuration(Duration d) {
        return putLong(d.getSeconds()).putInt(d.getNano());
    }

    public RecordWriter putId(MessageId id) {
        return putLong(id.high()).putLong(id.low());
    }

    public RecordWriter putMessage(Message m) {
        putId(m.id()).putString(m.queue()).putBytes(m.payload()).putInt(m.headers().size());
        for (Map.Entry<String, String> h : m.headers().entrySet()) {
            putString(h.getKey()).putString(h.getValue());
        }
        putInt(m.priority()).putDuration(m.delay()).putBoolean(m.deadline() != null);
        if (m.deadline() != null) {
            putLong(m.deadline().getEpochSecond()).putInt(m.deadline().getNano());
        }
        return this;
    }

    /** A clock, or null. */
    public RecordWriter putClock(VectorClock clock) {
        if (clock == null) {
            return putInt(-1);
        }
        putInt(clock.entries().size());
        for (Map.Entry<ClusterId, Long> e : clock.entries().entrySet()) {
            putString(e.getKey().value()).putLong(e.getValue());
        }
        return this;
    }

    public RecordWriter putCluster(ClusterId c) {
        return putString(c.value());
    }

    public RecordWriter putDigest(Digest d) {
        return putLong(d.w0()).putLong(d.w1()).putLong(d.w2()).putLong(d.w3());
    }

    public RecordWriter putRound(RoundId r) {
        return putCluster(r.coordinator()).putLong(r.sequence());
    }

    /** A vote with its signature (empty when unsigned), as cast. */
    public RecordWriter putSignedVote(SignedVote v) {
        Vote vote = v.vote();
        return putString(v.federation()).putLong(v.tableVersion()).putRound(vote.round()).putCluster(vote.voter())
                .putInt(vote.verdict().ordinal()).putDigest(vote.digest()).putString(vote.reason())
                .putBytes(v.signature());
    }

    public RecordWriter putTerms(RoundTerms t) {
        putLong(t.tableVersion()).putDigest(t.tableHash()).putInt(t.guarantee().ordinal())
                .putLong(t.threshold().numerator()).putLong(t.threshold().denominator()).putInt(t.byzantineTolerance())
                .putInt(t.weights().size());
        t.weights().forEach((c, w) -> putCluster(c).putLong(w));
        return this;
    }

    public byte[] toBytes() {
        return bytes.toByteArray();
    }
}
