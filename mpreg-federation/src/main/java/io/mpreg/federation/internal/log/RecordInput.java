package io.mpreg.federation.internal.log;

import io.mpreg.api.ClusterId;
import io.mpreg.api.Digest;
import io.mpreg.api.RoundId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.RoundTerms;
import io.mpreg.api.SignedVote;
import io.mpreg.api.Threshold;
import io.mpreg.api.Verdict;
import io.mpreg.api.Vote;
import io.mpreg.api.Message;
import io.mpreg.api.MessageId;
import io.mpreg.api.VectorClock;
import io.mpreg.federation.storage.StorageException;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Reads what a {@link RecordWriter} wrote. A record that does not parse is a {@link StorageException}. */
public final class RecordInput {
    private final ByteBuffer in;

    public RecordInput(byte[] payload) {
        this.in = ByteBuffer.wrap(payload);
    }

    public long getLong() {
        try {
            return in.getLong();
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    public int getInt() {
        try {
            return in.getInt();
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    public boolean getBoolean() {
        return getInt() != 0;
    }

    public byte[] getBytes() {
        int n = getInt();
        if (n < 0 || n > in.remaining()) {
            throw truncated();
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    public String getString() {
        return new String(getBytes(), StandardCharsets.UTF_8);
    }

    public Duration getDuration() {
        return Duration.ofSeconds(getLong(), getInt());
    }

    public MessageId getId() {
        return new MessageId(getLong(), getLong());
    }

    public Message getMessage() {
        MessageId id = getId();
        String queue = getString();
        byte[] payload = getBytes();
        int n = getInt();
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            headers.put(getString(), getString());
        }
        int priority = getInt();
        Duration delay = getDuration();
        Instant deadline = getBoolean() ? Instant.ofEpochSecond(getLong(), getInt()) : null;
        return new Message(id, queue, payload, headers, priority, delay, deadline);
    }

    /** A clock, or null. */
    public VectorClock getClock() {
        int n = getInt();
        if (n < 0) {
            return null;
        }
        TreeMap<ClusterId, Long> entries = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            entries.put(ClusterId.of(getString()), getLong());
        }
        return VectorClock.of(entries);
    }

    public ClusterId getCluster() {
        return ClusterId.of(getString());
    }

    public Digest getDigest() {
        return new Digest(getLong(), getLong(), getLong(), getLong());
    }

    public RoundId getRound() {
        return new RoundId(getCluster(), getLong());
    }

    public SignedVote getSignedVote() {
        String federation = getString();
        long tableVersion = getLong();
        RoundId round = getRound();
        ClusterId voter = getCluster();
        Verdict verdict = Verdict.values()[getInt()];
        Digest digest = getDigest();
        String reason = getString();
        return new SignedVote(federation, tableVersion, new Vote(round, voter, verdict, digest, reason), getBytes());
    }

    private StorageException truncated() {
        return new StorageException("a log record ends before its fields do (" + in.capacity() + " bytes)");
    }

    public RoundTerms getTerms() {
        long version = getLong();
        Digest hash = getDigest();
        DeliveryGuarantee guarantee = DeliveryGuarantee.values()[getInt()];
        Threshold threshold = new Threshold(getLong(), getLong());
        int f = getInt();
        int n = getInt();
        SortedMap<ClusterId, Long> weights = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            weights.put(getCluster(), getLong());
        }
        return new RoundTerms(version, hash, guarantee, threshold, f, weights);
    }
}
