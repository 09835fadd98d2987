package io.mpreg.api.spi;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Free-form, plugin-specific settings as text keys and values, with typed, range-checked getters. Providers
 * document the keys they read; an out-of-range or unparsable value is an {@link IllegalArgumentException} that
 * names the key and the value.
 *
 * @param values the settings, sorted by key
 * @since 0.1.0
 */
public record PluginOptions(Map<String, String> values) {
    /** No settings: every getter returns its default. */
    public static final PluginOptions NONE = new PluginOptions(Map.of());

    public PluginOptions {
        if (values == null) {
            throw new IllegalArgumentException("plugin options must not be null (use PluginOptions.NONE)");
        }
        TreeMap<String, String> copy = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k == null || k.isBlank() || v == null) {
                throw new IllegalArgumentException("plugin option " + k + "=" + v + " needs a non-blank key and a value");
            }
            copy.put(k, v);
        });
        values = Collections.unmodifiableMap(copy);
    }

    /** Options from alternating keys and values. */
    public static PluginOptions of(String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("plugin options need key/value pairs, got " + keysAndValues.length
                    + " strings");
        }
        TreeMap<String, String> map = new TreeMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new PluginOptions(map);
    }

    /** The text value of {@code key}, or {@code defaultValue}. */
    public String string(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    /**
     * The integer value of {@code key}, or {@code defaultValue} if absent.
     *
     * @throws IllegalArgumentException if the value is not an integer in {@code [min, max]}
     */
    public long longValue(String key, long defaultValue, long min, long max) {
        String text = values.get(key);
        long value;
        if (text == null) {
            value = defaultValue;
        } else {
            try {
                value = Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("option " + key + "='" + text + "' is not an integer", e);
            }
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("option " + key + "=" + value + " is outside [" + min + ", " + max + "]");
        }
        return value;
    }

    /**
     * The boolean value of {@code key} ({@code true} or {@code false}), or {@code defaultValue}.
     *
     * @throws IllegalArgumentException if the value is neither
     */
    public boolean booleanValue(String key, boolean defaultValue) {
        String text = values.get(key);
        if (text == null) {
            return defaultValue;
        }
        return switch (text.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("option " + key + "='" + text + "' is not true or false");
        };
    }
}
