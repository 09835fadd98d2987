package io.mpreg.federation.queue;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The queue API's value types: the one pattern syntax and the validation of definitions and options. */
class QueueApiTest {

    @Test
    void patternsMatchWholeNamesWithStarAndQuestionMark() {
        assertTrue(QueuePattern.of("ord*").matches("orders"));
        assertTrue(QueuePattern.of("ord*").matches("ord"), "* matches nothing too");
        assertFalse(QueuePattern.of("ord*").matches("word"));
        assertTrue(QueuePattern.of("eu/*.dlq").matches("eu/orders.dlq"));
        assertTrue(QueuePattern.of("*").matches("a/b.c:d-e"), "* crosses / . : -");
        assertTrue(QueuePattern.of("q?").matches("q1"));
        assertFalse(QueuePattern.of("q?").matches("q10"));
        assertFalse(QueuePattern.of("q?").matches("q"));
        assertTrue(QueuePattern.of("a*b*c").matches("aXbYbZc"));
        assertFalse(QueuePattern.of("a*b*c").matches("aXbYbZ"));
        assertTrue(QueuePattern.of("orders").matches("orders"));
        assertFalse(QueuePattern.of("orders").matches("orders2"));
        assertTrue(QueuePattern.of("orders").isLiteral());
        assertFalse(QueuePattern.of("o?ders").isLiteral());
        assertEquals(QueuePattern.of("x*"), QueuePattern.of("x*"));
    }

    @Test
    void aPathologicalPatternStaysLinear() {
        String name = "a".repeat(250);
        QueuePattern p = QueuePattern.of("*a".repeat(100) + "b");
        long start = System.nanoTime();
        assertFalse(p.matches(name));
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "no exponential backtracking");
    }

    @Test
    void badPatternsAreRefusedWithTheReason() {
        assertEquals("queue pattern 'orders#' has '#' at 6: use [A-Za-z0-9._:/-] and the wildcards * and ?",
                assertThrows(IllegalArgumentException.class, () -> QueuePattern.of("orders#")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> QueuePattern.of(""));
        assertThrows(IllegalArgumentException.class, () -> QueuePattern.of(null));
        assertThrows(IllegalArgumentException.class, () -> QueuePattern.of("x".repeat(256)));
    }

    @Test
    void definitionsHaveSensibleDefaultsAndRefuseNonsense() {
        QueueConfig q = QueueConfig.fifo("orders");
        assertEquals(QueueType.FIFO, q.type());
        assertEquals("orders.dlq", q.deadLetterQueue());
        assertEquals(QueueConfig.DEFAULT_CAPACITY, q.capacity());
        assertEquals(Duration.ofSeconds(30), q.visibilityTimeout());
        assertEquals(10, q.maxReceives());
        assertEquals("", QueueConfig.fifo("orders.dlq").deadLetterQueue(), "a dead-letter queue has none itself");
        assertEquals("", QueueConfig.fifo("x".repeat(252)).deadLetterQueue(), "no room for the suffix");
        assertEquals(QueueType.PRIORITY, QueueConfig.priority("p").type());
        assertEquals("queue 'orders': capacity must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> q.withCapacity(0)).getMessage());
        assertEquals("queue 'orders': visibilityTimeout must be positive, got PT0S",
                assertThrows(IllegalArgumentException.class, () -> q.withVisibilityTimeout(Duration.ZERO))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> q.withMaxReceives(-1));
        assertThrows(IllegalArgumentException.class, () -> q.withDeadLetterQueue("orders"));
        assertThrows(IllegalArgumentException.class, () -> q.withDeadLetterQueue("bad name"));
        assertThrows(IllegalArgumentException.class, () -> q.withDefaultDelay(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> q.withMessageTtl(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> QueueConfig.fifo("has space"));
        assertThrows(IllegalArgumentException.class, () -> SubscribeOptions.automaticAcks().withPrefetch(0));
        assertTrue(SubscribeOptions.manualAcks().manualAck());
        assertTrue(SubscribeOptions.automaticAcks().withLocalOnly(true).localOnly());
    }
}
