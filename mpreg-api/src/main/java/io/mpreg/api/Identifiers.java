package io.mpreg.api;

import java.util.regex.Pattern;

/** Shared validation of the textual identifiers (cluster ids, node ids, queue names). */
final class Identifiers {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern QUEUE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,254}");

    private Identifiers() {
    }

    static String requireId(String kind, String value) {
        if (value == null) {
            throw new IllegalArgumentException(kind + " must not be null");
        }
        if (!ID.matcher(value).matches()) {
            throw new IllegalArgumentException(kind + " '" + value
                    + "' is invalid: use 1-64 characters from [A-Za-z0-9._-], starting with a letter or digit");
        }
        return value;
    }

    static String requireQueue(String value) {
        if (value == null) {
            throw new IllegalArgumentException("queue name must not be null");
        }
        if (!QUEUE.matcher(value).matches()) {
            throw new IllegalArgumentException("queue name '" + value
                    + "' is invalid: use 1-255 characters from [A-Za-z0-9._:/-], starting with a letter or digit");
        }
        return value;
    }
}
