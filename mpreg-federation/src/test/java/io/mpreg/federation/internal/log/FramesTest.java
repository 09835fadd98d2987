package io.mpreg.federation.internal.log;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class FramesTest {

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /** A snapshot framed into one growing array is byte for byte the records framed one by one, in order. */
    @Test
    void aSequenceIsTheRecordsFramedOneByOne() {
        SplittableRandom random = new SplittableRandom(18);
        Frames.Sequence sequence = new Frames.Sequence();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 5_000; i++) { // past the first array's 64 KiB several times
            byte type = (byte) random.nextInt(1, 18);
            byte[] payload = new byte[random.nextInt(0, i % 100 == 0 ? 70_000 : 200)];
            random.nextBytes(payload);
            sequence.add(type, payload);
            expected.writeBytes(bytes(Frames.encode(type, payload)));
        }
        assertArrayEquals(expected.toByteArray(), bytes(sequence.buffer()));
    }
}
