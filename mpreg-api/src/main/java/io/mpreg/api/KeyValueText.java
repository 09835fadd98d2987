package io.mpreg.api;

import java.util.LinkedHashMap;
import java.util.Map;

/** The text form of MPREG's proof files: a header line, then one {@code key=value} per line ({@code #} comments). */
final class KeyValueText {
    private KeyValueText() {
    }

    /**
     * The fields of {@code text}, in order.
     *
     * @param what the kind of file, for messages ("evidence", "certificate")
     * @throws IllegalArgumentException if the header is missing, a line has no key, or a key appears twice
     */
    static Map<String, String> parse(String text, String header, String what) {
        if (text == null || !text.startsWith(header)) {
            throw new IllegalArgumentException("not an MPREG " + what + " file: it must start with '" + header + "'");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(what + " line without key=value: '" + line + "'");
            }
            if (fields.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip()) != null) {
                throw new IllegalArgumentException(what + " key '" + line.substring(0, eq).strip() + "' appears twice");
            }
        }
        return fields;
    }
}
