package io.mpreg.federation.queue;

/**
 * How a subscription takes messages from the queues its pattern matches.
 *
 * @param manualAck whether the handler acknowledges each {@link io.mpreg.federation.Delivery} itself; if not, a
 *                  delivery is acknowledged when the handler returns and released (visible again at once) when it
 *                  throws
 * @param prefetch  messages handed to this subscription and not yet acknowledged, at most, per queue (1 or more)
 * @param localOnly whether to take only from this cluster's own queues (for example the local copies of voted or
 *                  broadcast messages); by default a subscription takes from matching queues anywhere in the
 *                  federation
 * @since 0.1.0
 */
public record SubscribeOptions(boolean manualAck, int prefetch, boolean localOnly) {
    /** The default prefetch: 64. */
    public static final int DEFAULT_PREFETCH = 64;

    public SubscribeOptions {
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be >= 1, got " + prefetch);
        }
    }

    /** Acknowledge when the handler returns; prefetch 64; queues anywhere in the federation. */
    public static SubscribeOptions automaticAcks() {
        return new SubscribeOptions(false, DEFAULT_PREFETCH, false);
    }

    /** The handler acknowledges; prefetch 64; queues anywhere in the federation. */
    public static SubscribeOptions manualAcks() {
        return new SubscribeOptions(true, DEFAULT_PREFETCH, false);
    }

    public SubscribeOptions withPrefetch(int messages) {
        return new SubscribeOptions(manualAck, messages, localOnly);
    }

    /** Taking only from this cluster's own queues. */
    public SubscribeOptions withLocalOnly(boolean local) {
        return new SubscribeOptions(manualAck, prefetch, local);
    }
}
