package io.mpreg.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks Prometheus text (exposition format 0.0.4) against the format's rules and this project's naming rules, and
 * lists every violation: what {@code promtool check metrics} checks, so every build checks it without promtool.
 *
 * <p>Format: each line a comment, a HELP, a TYPE or a sample; a family's HELP and TYPE at most once each and before
 * its samples; a family's samples together; valid names, labels and values; no series twice; {@code quantile} only in
 * summaries and {@code le} only in histograms; a histogram per label set has increasing {@code le} bounds ending at
 * {@code +Inf}, counts that never decrease, and its {@code +Inf} bucket equal to its {@code _count}, with a
 * {@code _sum}. Naming: every family has HELP and TYPE, counters end in {@code _total}, histograms are in seconds.
 */
final class PrometheusFormat {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?"
            + " ([^ ]+)( -?[0-9]+)?");
    private static final Pattern LABEL = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\[\\\\\"n])*)\"\\s*(,|$)");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private final List<String> violations = new ArrayList<>();
    private final Map<String, String> types = new HashMap<>();
    private final Set<String> helps = new HashSet<>();
    private final Set<String> familiesSeen = new HashSet<>();
    private final Set<String> series = new HashSet<>();
    /** Histogram series: family + label set without le -> bucket bounds and counts in order, sum, count. */
    private final Map<String, Histogram> histograms = new LinkedHashMap<>();
    private String currentFamily;

    private static final class Histogram {
        final List<Double> bounds = new ArrayList<>();
        final List<Double> counts = new ArrayList<>();
        Double sum;
        Double count;
    }

    private PrometheusFormat() {
    }

    /** Every rule {@code text} breaks, one line each (empty: it is valid). */
    static List<String> violations(String text) {
        PrometheusFormat f = new PrometheusFormat();
        f.check(text);
        return f.violations;
    }

    private void check(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            violations.add("the text does not end with a newline");
        }
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            String at = "line " + (i + 1) + " (" + line + "): ";
            if (line.startsWith("#")) {
                comment(line, at);
            } else {
                sample(line, at);
            }
        }
        types.forEach((family, type) -> {
            if (!helps.contains(family)) {
                violations.add(family + " has no HELP");
            }
        });
        helps.forEach(family -> {
            if (!types.containsKey(family)) {
                violations.add(family + " has no TYPE");
            }
        });
        histograms.forEach(this::histogram);
    }

    private void comment(String line, String at) {
        String[] parts = line.split(" ", 4);
        if (parts.length < 3 || !(parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
            return; // a plain comment
        }
        String family = parts[2];
        if (!NAME.matcher(family).matches()) {
            violations.add(at + "invalid metric name " + family);
        }
        if (familiesSeen.contains(family)) {
            violations.add(at + parts[1] + " after samples of " + family);
        }
        if (parts[1].equals("HELP")) {
            if (!helps.add(family)) {
                violations.add(at + "a second HELP for " + family);
            }
            return;
        }
        String type = parts.length == 4 ? parts[3] : "";
        if (!TYPES.contains(type)) {
            violations.add(at + "unknown type '" + type + "'");
        }
        if (types.put(family, type) != null) {
            violations.add(at + "a second TYPE for " + family);
        }
        if (type.equals("counter") && !family.endsWith("_total")) {
            violations.add(at + "a counter whose name does not end in _total");
        }
        if (type.equals("histogram") && !family.endsWith("_seconds")) {
            violations.add(at + "a histogram whose name does not state its unit (_seconds)");
        }
    }

    private void sample(String line, String at) {
        Matcher m = SAMPLE.matcher(line);
        if (!m.matches()) {
            violations.add(at + "not a sample");
            return;
        }
        String name = m.group(1);
        Map<String, String> labels = new TreeMap<>();
        if (m.group(3) != null && !m.group(3).isEmpty()) {
            Matcher l = LABEL.matcher(m.group(3));
            int end = 0;
            while (end < m.group(3).length() && l.find(end) && l.start() == end) {
                if (l.group(1).startsWith("__")) {
                    violations.add(at + "reserved label name " + l.group(1));
                }
                if (labels.put(l.group(1), l.group(2)) != null) {
                    violations.add(at + "label " + l.group(1) + " twice");
                }
                end = l.end();
            }
            if (end != m.group(3).length()) {
                violations.add(at + "malformed labels");
                return;
            }
        }
        double value;
        try {
            value = value(m.group(4));
        } catch (NumberFormatException e) {
            violations.add(at + "not a number: " + m.group(4));
            return;
        }
        String family = family(name);
        String type = types.get(family);
        if (type == null) {
            violations.add(at + "a sample before its family's TYPE");
            return;
        }
        if (!family.equals(currentFamily)) {
            if (!familiesSeen.add(family)) {
                violations.add(at + "samples of " + family + " are not together");
            }
            currentFamily = family;
        }
        if (!series.add(name + labels)) {
            violations.add(at + "the same series twice");
        }
        if (labels.containsKey("quantile") && !type.equals("summary")) {
            violations.add(at + "a quantile label outside a summary");
        }
        if (labels.containsKey("le") && !type.equals("histogram")) {
            violations.add(at + "an le label outside a histogram");
        }
        if (type.equals("counter") && (value < 0 || Double.isNaN(value))) {
            violations.add(at + "a counter below 0");
        }
        if (type.equals("histogram")) {
            histogramSample(name, family, labels, value, at);
        }
    }

    private void histogramSample(String name, String family, Map<String, String> labels, double value, String at) {
        Map<String, String> rest = new TreeMap<>(labels);
        String le = rest.remove("le");
        Histogram h = histograms.computeIfAbsent(family + rest, k -> new Histogram());
        if (name.equals(family + "_bucket")) {
            if (le == null) {
                violations.add(at + "a bucket without le");
                return;
            }
            try {
                h.bounds.add(value(le));
                h.counts.add(value);
            } catch (NumberFormatException e) {
                violations.add(at + "le is not a number: " + le);
            }
        } else if (name.equals(family + "_sum")) {
            h.sum = value;
        } else if (name.equals(family + "_count")) {
            h.count = value;
        } else {
            violations.add(at + "a histogram sample that is not _bucket, _sum or _count");
        }
    }

    private void histogram(String series, Histogram h) {
        if (h.bounds.isEmpty() || h.bounds.get(h.bounds.size() - 1) != Double.POSITIVE_INFINITY) {
            violations.add(series + ": no +Inf bucket, or not last");
        }
        for (int i = 1; i < h.bounds.size(); i++) {
            if (!(h.bounds.get(i) > h.bounds.get(i - 1))) {
                violations.add(series + ": le " + h.bounds.get(i) + " after " + h.bounds.get(i - 1));
            }
            if (h.counts.get(i) < h.counts.get(i - 1)) {
                violations.add(series + ": bucket count " + h.counts.get(i) + " below the previous "
                        + h.counts.get(i - 1));
            }
        }
        if (h.count == null || h.sum == null) {
            violations.add(series + ": no _count or no _sum");
        } else if (!h.counts.isEmpty() && !h.counts.get(h.counts.size() - 1).equals(h.count)) {
            violations.add(series + ": +Inf bucket " + h.counts.get(h.counts.size() - 1) + " but _count "
                    + h.count);
        }
    }

    /** The family a sample belongs to: a histogram's or summary's suffixes removed when that family is typed. */
    private String family(String name) {
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                String type = types.get(base);
                if ("histogram".equals(type) || ("summary".equals(type) && !suffix.equals("_bucket"))) {
                    return base;
                }
            }
        }
        return name;
    }

    private static double value(String s) {
        return switch (s) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }
}
