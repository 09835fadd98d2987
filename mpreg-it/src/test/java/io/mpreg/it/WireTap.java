package io.mpreg.it;

import io.mpreg.federation.internal.wire.WireCodec;
import io.mpreg.federation.internal.wire.WireMessage;
import io.mpreg.tck.Await;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static io.mpreg.it.LiveFederation.PATIENCE;

/**
 * A rogue member's hands in the live tests: reads the federation frames a {@link LiveFederation}'s gate recorded on
 * a link, and forges frames in place of the next real ones (under their link headers, so only the protocol can
 * refuse them).
 */
final class WireTap {
    static final WireCodec CODEC = new WireCodec(1 << 20);

    private WireTap() {
    }

    /**
     * The messages recorded from c{@code from} to c{@code to} of a {@code type} matching {@code which}, each frame's or
     * each of a batch's.
     */
    static <T extends WireMessage> List<T> recorded(LiveFederation f, int from, int to, Class<T> type,
                                                    Predicate<T> which) {
        List<T> out = new ArrayList<>();
        for (byte[] frame : f.gate.recorded(f.id(from), f.id(to))) {
            WireMessage decoded = CODEC.decode(ByteBuffer.wrap(frame)).message();
            for (WireMessage m : decoded instanceof WireMessage.Batch b ? b.messages() : List.of(decoded)) {
                if (type.isInstance(m) && which.test(type.cast(m))) {
                    out.add(type.cast(m));
                }
            }
        }
        return out;
    }

    /** Waits for such a frame; the first recorded. */
    static <T extends WireMessage> T awaitFirst(LiveFederation f, int from, int to, Class<T> type,
                                                Predicate<T> which) {
        return await(f, from, to, type, which).get(0);
    }

    /** Waits for such a frame; the last recorded. */
    static <T extends WireMessage> T awaitLast(LiveFederation f, int from, int to, Class<T> type,
                                               Predicate<T> which) {
        List<T> all = await(f, from, to, type, which);
        return all.get(all.size() - 1);
    }

    private static <T extends WireMessage> List<T> await(LiveFederation f, int from, int to, Class<T> type,
                                                         Predicate<T> which) {
        Await.until(PATIENCE, "a " + type.getSimpleName() + " from c" + from + " to c" + to,
                () -> !recorded(f, from, to, type, which).isEmpty());
        return recorded(f, from, to, type, which);
    }

    /**
     * Turns the next frame from c{@code from} to c{@code to} (a batch: all of it) into {@code forged}, under that
     * frame's link header.
     */
    static void forge(LiveFederation f, int from, int to, WireMessage forged) {
        f.gate.rewriteNext(f.id(from), f.id(to), frame -> CODEC.encode(CODEC.decode(ByteBuffer.wrap(frame)).link(),
                forged));
    }
}
