package io.mpreg.api;

import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * The identity of a message across the federation, a 128-bit value; receivers deduplicate by it. Generate ids
 * from the node's seeded random source ({@link #random(RandomGenerator)}) so simulated runs replay exactly.
 *
 * @param high the upper 64 bits
 * @param low  the lower 64 bits
 * @since 0.1.0
 */
public record MessageId(long high, long low) implements Comparable<MessageId> {

    /** A fresh id drawn from {@code random}. */
    public static MessageId random(RandomGenerator random) {
        if (random == null) {
            throw new IllegalArgumentException("random source must not be null");
        }
        return new MessageId(random.nextLong(), random.nextLong());
    }

    /**
     * Parses the text form produced by {@link #toString()} (a UUID-style string).
     *
     * @throws IllegalArgumentException if the text is not a UUID-style string
     */
    public static MessageId parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("message id text must not be null");
        }
        try {
            UUID uuid = UUID.fromString(text);
            return new MessageId(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("message id '" + text + "' is not of the form "
                    + "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", e);
        }
    }

    @Override
    public int compareTo(MessageId other) {
        int c = Long.compareUnsigned(high, other.high);
        return c != 0 ? c : Long.compareUnsigned(low, other.low);
    }

    @Override
    public String toString() {
        return new UUID(high, low).toString();
    }
}
