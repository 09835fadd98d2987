package io.mpreg.api;

import java.math.BigInteger;

/**
 * An exact fraction in (0, 1]: the share of the total weight that must vote yes. Comparisons are exact integer
 * arithmetic, never floating point with a tolerance; the fraction is kept in lowest terms, so {@code 4/6} equals
 * {@code 2/3}.
 *
 * @param numerator   1 or more
 * @param denominator at least the numerator
 * @since 0.1.0
 */
public record Threshold(long numerator, long denominator) {
    /** The default threshold of a global quorum. */
    public static final Threshold TWO_THIRDS = new Threshold(2, 3);
    /** One half, reached at exactly 50 %. */
    public static final Threshold ONE_HALF = new Threshold(1, 2);
    /** Everyone. */
    public static final Threshold ALL = new Threshold(1, 1);

    public Threshold {
        if (numerator <= 0 || denominator <= 0 || numerator > denominator) {
            throw new IllegalArgumentException("threshold must be a fraction in (0, 1], got " + numerator + "/"
                    + denominator);
        }
        long g = gcd(numerator, denominator);
        numerator /= g;
        denominator /= g;
    }

    /** Shorthand for {@code new Threshold(numerator, denominator)}. */
    public static Threshold of(long numerator, long denominator) {
        return new Threshold(numerator, denominator);
    }

    /**
     * Parses {@code "n/d"}.
     *
     * @throws IllegalArgumentException if the text is not two positive integers separated by '/', or is out of range
     */
    public static Threshold parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("threshold text must not be null");
        }
        int slash = text.indexOf('/');
        try {
            if (slash > 0) {
                return of(Long.parseLong(text.substring(0, slash).trim()), Long.parseLong(text.substring(slash + 1).trim()));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("threshold '" + text + "' is not of the form n/d", e);
        }
        throw new IllegalArgumentException("threshold '" + text + "' is not of the form n/d");
    }

    /**
     * The least weight that reaches this threshold of {@code totalWeight}: {@code ceil(total * n / d)}. Exact for
     * every non-negative {@code long} total.
     *
     * @throws IllegalArgumentException if {@code totalWeight} is negative
     */
    public long requiredWeight(long totalWeight) {
        if (totalWeight < 0) {
            throw new IllegalArgumentException("total weight must be >= 0, got " + totalWeight);
        }
        if (Math.multiplyHigh(totalWeight, numerator) == 0 && totalWeight * numerator >= 0) {
            long product = totalWeight * numerator;
            return product / denominator + (product % denominator == 0 ? 0 : 1);
        }
        BigInteger[] qr = BigInteger.valueOf(totalWeight).multiply(BigInteger.valueOf(numerator))
                .divideAndRemainder(BigInteger.valueOf(denominator));
        return qr[0].longValueExact() + (qr[1].signum() == 0 ? 0 : 1);
    }

    /** Whether {@code weight} reaches this threshold of {@code totalWeight}. */
    public boolean isReachedBy(long weight, long totalWeight) {
        return weight >= requiredWeight(totalWeight);
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    @Override
    public String toString() {
        return numerator + "/" + denominator;
    }
}
