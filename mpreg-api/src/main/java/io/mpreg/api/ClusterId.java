package io.mpreg.api;

/**
 * The identity of a cluster in a federation: 1-64 characters from {@code [A-Za-z0-9._-]}, starting with a letter
 * or digit. Clusters are ordered by their id so that every node iterates them in the same order.
 *
 * @param value the id text
 * @since 0.1.0
 */
public record ClusterId(String value) implements Comparable<ClusterId> {
    public ClusterId {
        Identifiers.requireId("cluster id", value);
    }

    /** Shorthand for {@code new ClusterId(value)}. */
    public static ClusterId of(String value) {
        return new ClusterId(value);
    }

    @Override
    public int compareTo(ClusterId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
