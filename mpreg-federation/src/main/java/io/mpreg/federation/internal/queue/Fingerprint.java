package io.mpreg.federation.internal.queue;

import io.mpreg.api.Message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * A 64-bit fingerprint of what a message says (queue, payload, headers in key order, priority, delay, deadline; not its id), so the
 * dedup window can tell a resend of the same message (acknowledged, not stored again) from another message under an
 * id already taken (refused). Two CRC32C sums, not a cryptographic digest: it guards against mistakes, not against a
 * sender that forges collisions (a sender can always send under an id of its choice), and CRC32C is an intrinsic.
 */
final class Fingerprint {
    private Fingerprint() {
    }

    static long of(Message m) {
        CRC32C body = new CRC32C();
        body.update(m.payload());
        CRC32C rest = new CRC32C();
        rest.update(m.queue().getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, String> h : new TreeMap<>(m.headers()).entrySet()) {
            rest.update(h.getKey().getBytes(StandardCharsets.UTF_8));
            rest.update(0);
            rest.update(h.getValue().getBytes(StandardCharsets.UTF_8));
            rest.update(0);
        }
        rest.update(ByteBuffer.allocate(4 + 8 + 4 + 8 + 4).putInt(m.priority()).putLong(m.delay().getSeconds())
                .putInt(m.delay().getNano())
                .putLong(m.deadline() == null ? Long.MIN_VALUE : m.deadline().getEpochSecond())
                .putInt(m.deadline() == null ? -1 : m.deadline().getNano()).array());
        return body.getValue() << 32 | rest.getValue();
    }
}
