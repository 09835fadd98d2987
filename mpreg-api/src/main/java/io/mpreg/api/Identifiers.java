package io.mpreg.api;

/**
 * Shared validation of the textual identifiers (cluster ids, node ids, queue names). Checked character by character
 * rather than by regular expression: every decoded frame validates its ids, and a matcher per id was a visible share
 * of decoding time and allocation.
 */
final class Identifiers {

    private Identifiers() {
    }

    static String requireId(String kind, String value) {
        if (value == null) {
            throw new IllegalArgumentException(kind + " must not be null");
        }
        if (!valid(value, 64, "._-")) {
            throw new IllegalArgumentException(kind + " '" + value
                    + "' is invalid: use 1-64 characters from [A-Za-z0-9._-], starting with a letter or digit");
        }
        return value;
    }

    static String requireQueue(String value) {
        if (value == null) {
            throw new IllegalArgumentException("queue name must not be null");
        }
        if (!valid(value, 255, "._:/-")) {
            throw new IllegalArgumentException("queue name '" + value
                    + "' is invalid: use 1-255 characters from [A-Za-z0-9._:/-], starting with a letter or digit");
        }
        return value;
    }

    /** 1 to {@code max} characters: a letter or digit first, then letters, digits or {@code extra}. */
    private static boolean valid(String value, int max, String extra) {
        int n = value.length();
        if (n == 0 || n > max || !letterOrDigit(value.charAt(0))) {
            return false;
        }
        for (int i = 1; i < n; i++) {
            char c = value.charAt(i);
            if (!letterOrDigit(c) && extra.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean letterOrDigit(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }
}
