package io.mpreg.federation.internal.delivery;

import io.mpreg.federation.internal.Counters;
import io.mpreg.api.DeliveryOptions;

import java.time.Duration;

/**
 * Resolves a send's timeout: the call's own if it set one; else the node's fixed default if its builder set one;
 * else one derived from what the node observes — ten times the p99 of its completed sends (acknowledgements and
 * committed rounds), bounded to [{@link #MIN}, {@link #MAX}], once {@link #SAMPLES} have completed, and
 * {@link DeliveryOptions#DEFAULT_TIMEOUT} before that. MPREG's operator guide suggests 10 s for low-latency, 30 s
 * for test and 120 s for high-latency federations; the derived default lands in that range on its own.
 */
public final class Timeouts {
    public static final Duration MIN = Duration.ofSeconds(5);
    public static final Duration MAX = Duration.ofSeconds(120);
    public static final long SAMPLES = 100;

    private final Duration fixed;
    private final Counters counters;

    public Timeouts(Duration fixed, Counters counters) {
        this.fixed = fixed;
        this.counters = counters;
    }

    public Duration resolve(DeliveryOptions options) {
        return options.timeout().isZero() ? current() : options.timeout();
    }

    /** The default a send without its own timeout gets now. */
    public Duration current() {
        if (fixed != null) {
            return fixed;
        }
        if (counters.completedSamples() < SAMPLES) {
            return DeliveryOptions.DEFAULT_TIMEOUT;
        }
        Duration derived = counters.ackLatency(99).multipliedBy(10);
        return derived.compareTo(MIN) < 0 ? MIN : derived.compareTo(MAX) > 0 ? MAX : derived;
    }
}
