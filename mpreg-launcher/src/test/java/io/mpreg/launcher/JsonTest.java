package io.mpreg.launcher;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {

    @Test
    void whatIsWrittenReadsBackTheSame() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("text", "a \"quoted\" \\ line\nand\ttab \u0001");
        doc.put("n", 42L);
        doc.put("big", Long.MAX_VALUE);
        doc.put("x", 2.5);
        doc.put("yes", true);
        doc.put("nothing", null);
        doc.put("list", Arrays.asList(1L, "two", null, List.of(), Map.of()));
        String json = Json.write(doc);
        assertEquals(doc, Json.parse(json));
        assertTrue(json.contains("\\u0001"), json);
        assertEquals("{\"a\":[1,2.5,\"c\"]}", Json.write(Map.of("a", List.of(1, 2.5, "c"))));
        assertEquals("null", Json.write(Double.NaN));
    }

    @Test
    void readsWhitespaceEscapesAndNumbersAsTheRfcSays() {
        assertEquals(Map.of("a", List.of(-1L, 0.5, 1.0E3, "é/")),
                Json.parse(" { \"a\" : [ -1 , 0.5, 1e3, \"\\u00e9\\/\" ] } "));
    }

    @Test
    void refusesWhatIsNotOneJsonValue() {
        for (String bad : List.of("", "{", "[1,]", "{\"a\" 1}", "{a:1}", "01", "1.", "-", "tru", "\"x", "\"\\q\"",
                "\"\\u12\"", "[1] 2", "{\"a\":1,}", "\"a\tb\"")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("not JSON at offset "), e.getMessage());
        }
    }
}
