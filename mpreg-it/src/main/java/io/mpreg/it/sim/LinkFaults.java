package io.mpreg.it.sim;

/**
 * What frames on up links meet in a {@link SimNetwork}: a probability of loss, of duplication and of reordering
 * (a reordered frame leaves its link's order and waits up to {@code reorderDelay} more), and a latency of
 * {@code minLatency} plus up to {@code jitter} (virtual nanoseconds).
 *
 * @since 0.3.0
 */
public record LinkFaults(double loss, double duplicate, double reorder, long minLatency, long jitter,
                         long reorderDelay) {
    /** A quiet network: 0.1 to 1 ms, nothing lost, duplicated or reordered. */
    public static final LinkFaults NONE = new LinkFaults(0, 0, 0, 100_000, 900_000, 0);

    public LinkFaults {
        for (double p : new double[] {loss, duplicate, reorder}) {
            if (!(p >= 0 && p < 1)) {
                throw new IllegalArgumentException("probabilities must be in [0, 1), got " + p);
            }
        }
        if (minLatency < 0 || jitter < 0 || reorderDelay < 0) {
            throw new IllegalArgumentException("latencies must be >= 0, got " + minLatency + ", " + jitter + ", "
                    + reorderDelay);
        }
    }
}
