package io.mpreg.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A message addressed to a queue (or topic) somewhere in the federation. Immutable: the payload array is copied
 * on the way in and on the way out, so neither the sender nor a receiver can change a message another holds.
 *
 * @param id       the federation-wide identity; receivers deduplicate by it
 * @param queue    the queue or topic name (1-255 characters from {@code [A-Za-z0-9._:/-]})
 * @param payload  the opaque body, possibly empty, never null
 * @param headers  application headers; keys non-blank, values non-null; iteration order is insertion order
 * @param priority 0 or more; higher is delivered first by priority queues
 * @param delay    how long a queue holds the message back before it becomes visible; zero or more
 * @param deadline the instant after which the message must not be delivered, or {@code null} for none
 * @since 0.1.0
 */
public record Message(MessageId id, String queue, byte[] payload, Map<String, String> headers, int priority,
                      Duration delay, Instant deadline) {

    public Message {
        if (id == null) {
            throw new IllegalArgumentException("message id must not be null (queue '" + queue + "')");
        }
        Identifiers.requireQueue(queue);
        if (payload == null) {
            throw new IllegalArgumentException("payload must not be null (use an empty array)");
        }
        payload = payload.clone();
        headers = copyHeaders(headers);
        if (priority < 0) {
            throw new IllegalArgumentException("priority must be >= 0, got " + priority);
        }
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("delay must be zero or positive, got " + delay);
        }
    }

    private static Map<String, String> copyHeaders(Map<String, String> headers) {
        if (headers == null) {
            throw new IllegalArgumentException("headers must not be null (use an empty map)");
        }
        Map<String, String> copy = new LinkedHashMap<>();
        headers.forEach((k, v) -> {
            if (k == null || k.isBlank()) {
                throw new IllegalArgumentException("header names must be non-blank, got '" + k + "'");
            }
            if (v == null) {
                throw new IllegalArgumentException("header '" + k + "' has a null value");
            }
            copy.put(k, v);
        });
        return java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * Checks a queue name: 1-255 characters from {@code [A-Za-z0-9._:/-]}, starting with a letter or digit.
     *
     * @return {@code name}
     * @throws IllegalArgumentException naming the bad value otherwise
     */
    public static String requireQueueName(String name) {
        return Identifiers.requireQueue(name);
    }

    /** A builder for a message to {@code queue}; the id is drawn from {@code random} unless set. */
    public static Builder builder(String queue) {
        return new Builder(queue);
    }

    /** A copy of the payload. */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload length without copying it. */
    public int payloadSize() {
        return payload.length;
    }

    /** The deadline, if any. */
    public Optional<Instant> deadlineIfAny() {
        return Optional.ofNullable(deadline);
    }

    /** Whether the deadline, if any, lies before {@code now}. */
    public boolean isExpiredAt(Instant now) {
        return deadline != null && now.isAfter(deadline);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && id.equals(m.id) && queue.equals(m.queue) && Arrays.equals(payload, m.payload)
                && headers.equals(m.headers) && priority == m.priority && delay.equals(m.delay)
                && java.util.Objects.equals(deadline, m.deadline);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(id, queue, Arrays.hashCode(payload), headers, priority, delay, deadline);
    }

    @Override
    public String toString() {
        return "Message[id=" + id + ", queue=" + queue + ", payload=" + payload.length + " bytes, headers=" + headers
                + ", priority=" + priority + ", delay=" + delay + ", deadline=" + deadline + "]";
    }

    /** Builds a {@link Message}; every setter validates when {@link #build} runs. */
    public static final class Builder {
        private final String queue;
        private MessageId id;
        private byte[] payload = new byte[0];
        private final Map<String, String> headers = new LinkedHashMap<>();
        private int priority;
        private Duration delay = Duration.ZERO;
        private Instant deadline;

        private Builder(String queue) {
            this.queue = queue;
        }

        public Builder id(MessageId id) {
            this.id = id;
            return this;
        }

        public Builder payload(byte[] payload) {
            this.payload = payload;
            return this;
        }

        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        public Builder delay(Duration delay) {
            this.delay = delay;
            return this;
        }

        public Builder deadline(Instant deadline) {
            this.deadline = deadline;
            return this;
        }

        /** Builds the message; a missing id is drawn from {@code random}. */
        public Message build(RandomGenerator random) {
            return new Message(id != null ? id : MessageId.random(random), queue, payload, headers, priority, delay,
                    deadline);
        }

        /** Builds the message; the id must have been set. */
        public Message build() {
            if (id == null) {
                throw new IllegalArgumentException("message to queue '" + queue + "' has no id: call id(..) or "
                        + "build(random)");
            }
            return build(null);
        }
    }
}
