package io.mpreg.federation.internal.log;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * How a record sits in a log file: {@code [length:int][crc:int][body:length bytes][0xA5]}. The CRC32C covers the
 * length and the body; the trailing marker tells a record cut short by a crash (its last byte is still the zero of a
 * preallocated file) from a complete record whose bytes went bad (marker present, checksum wrong). A length of zero
 * is where the written part of a preallocated file ends.
 */
final class Frames {
    static final int HEADER = 8;
    static final byte MARKER = (byte) 0xA5;
    static final int OVERHEAD = HEADER + 1;
    /** No record is longer: a length beyond it is damage, not a record. */
    static final int MAX_BODY = 64 << 20;

    private Frames() {
    }

    /** The bytes of a record whose body is {@code type} then {@code payload}. */
    static ByteBuffer encode(byte type, byte[] payload) {
        int length = 1 + payload.length;
        ByteBuffer out = ByteBuffer.allocate(OVERHEAD + length);
        out.putInt(length).putInt(0).put(type).put(payload).put(MARKER);
        out.putInt(4, crc(out.array(), 0, length));
        return out.flip();
    }

    /** The CRC32C of a record's length field (at {@code offset}) and body. */
    static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, 4);
        crc.update(bytes, offset + HEADER, length);
        return (int) crc.getValue();
    }
}
