package io.mpreg.federation.internal.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Coverage-guided fuzzing of the frame decoder (Jazzer). Any bytes decode to a frame or fail with a
 * {@link WireException} (a typed error, never another exception, never an allocation the cap does not allow), and a
 * frame that decodes encodes back to the same frame. In a normal test run the corpus under
 * {@code src/test/resources/io/mpreg/federation/internal/wire/WireFuzzTestInputs/decode} replays as regression
 * tests; {@code JAZZER_FUZZ=1 mvn test -pl mpreg-federation -Dtest=WireFuzzTest} fuzzes (README: Security).
 */
class WireFuzzTest {
    private static final int CAP = 64 * 1024;
    private final WireCodec codec = new WireCodec(CAP);

    @FuzzTest(maxDuration = "5m")
    void decode(byte[] frame) {
        WireCodec.Frame decoded;
        try {
            decoded = codec.decode(ByteBuffer.wrap(frame).asReadOnlyBuffer());
        } catch (WireException expected) {
            return;
        }
        assertEquals(decoded, codec.decode(ByteBuffer.wrap(codec.encode(decoded.link(), decoded.message()))),
                "a decoded frame re-encodes");
    }
}
