package io.mpreg.it;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker NodeCommandIT runs on a live node's /metrics finds each kind of violation it claims to. */
class PrometheusFormatTest {
    private static final String VALID = """
            # HELP mpreg_sent_total Sent.
            # TYPE mpreg_sent_total counter
            mpreg_sent_total{node="c1/gw"} 3
            # HELP mpreg_wait_seconds Waits.
            # TYPE mpreg_wait_seconds histogram
            mpreg_wait_seconds_bucket{node="c1/gw",le="0.001"} 1
            mpreg_wait_seconds_bucket{node="c1/gw",le="0.5"} 2
            mpreg_wait_seconds_bucket{node="c1/gw",le="+Inf"} 3
            mpreg_wait_seconds_sum{node="c1/gw"} 7.25
            mpreg_wait_seconds_count{node="c1/gw"} 3
            # HELP mpreg_depth Depth.
            # TYPE mpreg_depth gauge
            mpreg_depth{node="c1/gw",queue="a \\"b\\""} 0
            """;

    private static void breaks(String text, String expected) {
        List<String> v = PrometheusFormat.violations(text);
        assertTrue(v.stream().anyMatch(s -> s.contains(expected)), "expected '" + expected + "' in " + v);
    }

    @Test
    void validTextPasses() {
        assertEquals(List.of(), PrometheusFormat.violations(VALID));
    }

    @Test
    void eachRuleIsChecked() {
        breaks(VALID.replace("# TYPE mpreg_depth gauge\n", "") + "# TYPE mpreg_depth gauge\n",
                "a sample before its family's TYPE");
        breaks(VALID.replace("le=\"0.5\"} 2", "le=\"0.5\"} 0"), "below the previous");
        breaks(VALID.replace("le=\"0.5\"", "le=\"0.0001\""), "after");
        breaks(VALID.replace("le=\"+Inf\"} 3", "le=\"+Inf\"} 4"), "+Inf bucket 4.0 but _count 3.0");
        breaks(VALID.replace("mpreg_wait_seconds_bucket{node=\"c1/gw\",le=\"+Inf\"} 3\n", ""), "no +Inf bucket");
        breaks(VALID.replace("mpreg_wait_seconds_sum{node=\"c1/gw\"} 7.25\n", ""), "no _count or no _sum");
        breaks(VALID.replace("# TYPE mpreg_depth gauge\nmpreg_depth{node=\"c1/gw\",",
                "# TYPE mpreg_depth gauge\nmpreg_depth{node=\"c1/gw\",quantile=\"0.5\","), "quantile label outside");
        breaks(VALID.replace("mpreg_sent_total", "mpreg_sent"), "does not end in _total");
        breaks(VALID.replace("mpreg_wait_seconds", "mpreg_wait"), "does not state its unit");
        breaks(VALID.replace("# HELP mpreg_depth Depth.\n", ""), "mpreg_depth has no HELP");
        breaks(VALID + "mpreg_sent_total{node=\"c1/gw\"} 4\n", "not together");
        breaks(VALID.replace("} 3\n# HELP mpreg_wait", "} 3\nmpreg_sent_total{node=\"c1/gw\"} 3\n# HELP mpreg_wait"),
                "the same series twice");
        breaks(VALID.replace("} 3\n# HELP mpreg_wait", "} -1\n# HELP mpreg_wait"), "a counter below 0");
        breaks(VALID.replace("} 3\n# HELP mpreg_wait", "} three\n# HELP mpreg_wait"), "not a number");
        breaks(VALID.replace("queue=\"a", "queue=a"), "malformed labels");
        breaks(VALID.replace("# TYPE mpreg_depth gauge", "# TYPE mpreg_depth gauges"), "unknown type");
        breaks(VALID + "# HELP mpreg_sent_total Again.\n", "HELP after samples");
        breaks(VALID.substring(0, VALID.length() - 1), "newline");
    }
}
