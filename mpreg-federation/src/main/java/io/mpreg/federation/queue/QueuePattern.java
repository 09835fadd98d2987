package io.mpreg.federation.queue;

/**
 * The one pattern syntax for queue names, used by discovery and by subscriptions: {@code *} matches any run of
 * characters (none included, {@code /} and {@code .} included), {@code ?} matches exactly one character, every other
 * character matches itself. A pattern without wildcards names one queue. Examples: {@code ord*} matches
 * {@code orders} and {@code ord}; {@code eu/*.dlq} matches {@code eu/orders.dlq}; {@code q?} matches {@code q1} but
 * not {@code q10}. (MPREG mixed shell globs with AMQP-style topic wildcards; here there is only this.)
 *
 * @since 0.1.0
 */
public final class QueuePattern {
    private final String text;

    private QueuePattern(String text) {
        this.text = text;
    }

    /**
     * A pattern: 1-255 characters from {@code [A-Za-z0-9._:/-]} plus {@code *} and {@code ?}.
     *
     * @throws IllegalArgumentException naming the bad pattern otherwise
     */
    public static QueuePattern of(String pattern) {
        if (pattern == null || pattern.isEmpty() || pattern.length() > 255) {
            throw new IllegalArgumentException("queue pattern must have 1-255 characters, got "
                    + (pattern == null ? "null" : "'" + pattern + "'"));
        }
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "._:/-*?".indexOf(c) >= 0;
            if (!ok) {
                throw new IllegalArgumentException("queue pattern '" + pattern + "' has '" + c + "' at " + i
                        + ": use [A-Za-z0-9._:/-] and the wildcards * and ?");
            }
        }
        return new QueuePattern(pattern);
    }

    /** Whether the pattern has no wildcard (it names exactly one queue). */
    public boolean isLiteral() {
        return text.indexOf('*') < 0 && text.indexOf('?') < 0;
    }

    /** Whether {@code name} matches the whole pattern. Linear in the lengths (no backtracking blow-up). */
    public boolean matches(String name) {
        int p = 0;
        int n = 0;
        int star = -1;
        int mark = 0;
        while (n < name.length()) {
            if (p < text.length() && (text.charAt(p) == '?' || text.charAt(p) == name.charAt(n))) {
                p++;
                n++;
            } else if (p < text.length() && text.charAt(p) == '*') {
                star = p++;
                mark = n;
            } else if (star >= 0) {
                p = star + 1;
                n = ++mark;
            } else {
                return false;
            }
        }
        while (p < text.length() && text.charAt(p) == '*') {
            p++;
        }
        return p == text.length();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QueuePattern q && q.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
