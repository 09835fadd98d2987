package io.mpreg.federation.internal.round;

import io.mpreg.api.Digest;
import io.mpreg.api.Message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The digest a voted delivery agrees on: SHA-256 over every field of the message, each length-prefixed. */
public final class Digests {
    private Digests() {
    }

    /**
     * The digest a round of {@code messages} agrees on: a lone message's own, several messages' through
     * {@link io.mpreg.api.CommitCertificate#roundDigest}.
     */
    public static Digest of(java.util.List<Message> messages) {
        if (messages.size() == 1) {
            return of(messages.get(0));
        }
        java.util.List<Digest> each = new java.util.ArrayList<>(messages.size());
        messages.forEach(m -> each.add(of(m)));
        return io.mpreg.api.CommitCertificate.roundDigest(each);
    }

    public static Digest of(Message m) {
        ByteBuffer fixed = ByteBuffer.allocate(8 * 5 + 4).putLong(m.id().high()).putLong(m.id().low())
                .putInt(m.priority()).putLong(m.delay().toNanos())
                .putLong(m.deadline() == null ? Long.MIN_VALUE : m.deadline().getEpochSecond())
                .putLong(m.deadline() == null ? -1 : m.deadline().getNano());
        StringBuilder headers = new StringBuilder();
        m.headers().forEach((k, v) -> headers.append(k.length()).append(':').append(k).append(v.length()).append(':')
                .append(v));
        return Digest.sha256(fixed.array(), lengthPrefixed(m.queue().getBytes(StandardCharsets.UTF_8)),
                lengthPrefixed(m.payload()), headers.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] lengthPrefixed(byte[] bytes) {
        return ByteBuffer.allocate(4 + bytes.length).putInt(bytes.length).put(bytes).array();
    }
}
