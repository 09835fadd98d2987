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

    /**
     * Records framed one after another into one growing array: a snapshot of much live state as one buffer, without
     * a buffer per record on the way.
     */
    static final class Sequence {
        private byte[] bytes = new byte[1 << 16];
        private int size;

        void add(byte type, byte[] payload) {
            int length = 1 + payload.length;
            int total = OVERHEAD + length;
            if (bytes.length - size < total) {
                long wanted = Math.max((long) bytes.length * 2, (long) size + total);
                if (wanted > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("a snapshot of more than 2 GiB");
                }
                bytes = java.util.Arrays.copyOf(bytes, (int) wanted);
            }
            ByteBuffer out = ByteBuffer.wrap(bytes, size, total);
            out.putInt(length).putInt(0).put(type).put(payload).put(MARKER);
            ByteBuffer.wrap(bytes).putInt(size + 4, crc(bytes, size, length));
            size += total;
        }

        ByteBuffer buffer() {
            return ByteBuffer.wrap(bytes, 0, size);
        }
    }

    /** The CRC32C of a record's length field (at {@code offset}) and body. */
    static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, 4);
        crc.update(bytes, offset + HEADER, length);
        return (int) crc.getValue();
    }
}
