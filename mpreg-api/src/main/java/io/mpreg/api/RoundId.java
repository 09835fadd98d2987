package io.mpreg.api;

/**
 * The identity of one consensus round: the coordinating cluster and its sequence number for the round.
 *
 * @param coordinator the cluster that opened the round
 * @param sequence    0 or more, unique per coordinator
 * @since 0.1.0
 */
public record RoundId(ClusterId coordinator, long sequence) {
    public RoundId {
        if (coordinator == null) {
            throw new IllegalArgumentException("round id needs a coordinator, got null (sequence " + sequence + ")");
        }
        if (sequence < 0) {
            throw new IllegalArgumentException("round sequence must be >= 0, got " + sequence);
        }
    }

    @Override
    public String toString() {
        return coordinator.value() + "#" + sequence;
    }
}
