package io.mpreg.federation.internal.queue;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.Message;
import io.mpreg.api.MessageId;
import io.mpreg.federation.queue.AckOutcome;
import io.mpreg.federation.queue.QueueConfig;
import io.mpreg.federation.queue.QueueStatistics;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static io.mpreg.federation.internal.queue.Enqueued.ACCEPTED;
import static io.mpreg.federation.internal.queue.Enqueued.CONFLICT;
import static io.mpreg.federation.internal.queue.Enqueued.FULL;
import static io.mpreg.federation.internal.queue.Enqueued.RETRANSMITTED;
import static io.mpreg.federation.internal.queue.Enqueued.RETRANSMITTED_PENDING;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The local queue on a hand-driven clock: SCENARIOS Q3-Q7 and the details around them. */
class LocalQueueTest {
    private static final ClusterId C1 = ClusterId.of("c1");
    private static final long RETRY = 50_000_000L;
    private static final Instant EPOCH = Instant.parse("2026-11-25T00:00:00Z");

    private long now = 1_000_000_000L;
    private final List<String> deadLetters = new ArrayList<>();
    private long ids;
    private long queueWithDedupCapacity = 1_000_000;

    private LocalQueue queue(QueueConfig config) {
        return new LocalQueue(config, () -> now, () -> EPOCH.plusNanos(now), (q, m, origin, reason) ->
                deadLetters.add(text(m) + ": " + reason), RETRY, queueWithDedupCapacity,
                new QueueLog(io.mpreg.federation.internal.log.StateLog.inMemory(),
                        new io.mpreg.federation.internal.log.LogTime(() -> now,
                                java.time.Clock.fixed(EPOCH, java.time.ZoneOffset.UTC))));
    }

    private Message message(String text, int priority, Duration delay) {
        return new Message(new MessageId(7, ++ids), "q", text.getBytes(StandardCharsets.UTF_8), java.util.Map.of(),
                priority, delay, null);
    }

    private static String text(Message m) {
        return new String(m.payload(), StandardCharsets.UTF_8);
    }

    private Enqueued put(LocalQueue q, Message m) {
        return q.enqueue(m, C1, DeliveryGuarantee.AT_LEAST_ONCE, null, m.id().low(), 1, null, false);
    }

    private void advance(Duration d) {
        now += d.toNanos();
    }

    /** A consumer that records what it was handed. */
    private static final class Taker implements QueueConsumer {
        final long id;
        final int prefetch;
        final List<Lease> got = new ArrayList<>();
        boolean reachable = true;

        Taker(long id, int prefetch) {
            this.id = id;
            this.prefetch = prefetch;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public int prefetch() {
            return prefetch;
        }

        @Override
        public boolean offer(Lease lease) {
            if (reachable) {
                got.add(lease);
            }
            return reachable;
        }

        List<String> texts() {
            return got.stream().map(l -> text(l.message())).toList();
        }
    }

    @Test
    void q3FifoKeepsOrderAndPriorityQueuesServeHighestFirst() {
        LocalQueue fifo = queue(QueueConfig.fifo("q"));
        LocalQueue prio = queue(QueueConfig.priority("q"));
        for (int p : new int[]{1, 10, 5, 15}) {
            put(fifo, message("p" + p, p, Duration.ZERO));
            put(prio, message("p" + p, p, Duration.ZERO));
        }
        Taker a = new Taker(1, 100);
        Taker b = new Taker(2, 100);
        fifo.addConsumer(a);
        prio.addConsumer(b);
        fifo.pump();
        prio.pump();
        assertEquals(List.of("p1", "p10", "p5", "p15"), a.texts());
        assertEquals(List.of("p15", "p10", "p5", "p1"), b.texts());
    }

    @Test
    void q3DelayedMessagesBecomeVisibleInDelayOrderAndNoneEarly() {
        LocalQueue q = queue(QueueConfig.fifo("q"));
        Taker t = new Taker(1, 100);
        q.addConsumer(t);
        put(q, message("2.0", 0, Duration.ofMillis(2000)));
        put(q, message("1.0", 0, Duration.ofMillis(1000)));
        put(q, message("0.5", 0, Duration.ofMillis(500)));
        long start = now;
        long wake = q.pump();
        assertEquals(List.of(), t.texts());
        assertEquals(start + Duration.ofMillis(500).toNanos(), wake, "wakes exactly when the first becomes visible");
        now = wake - 1;
        q.pump();
        assertEquals(List.of(), t.texts(), "not one nanosecond early");
        now = wake;
        wake = q.pump();
        assertEquals(List.of("0.5"), t.texts());
        now = wake;
        wake = q.pump();
        now = wake;
        q.pump();
        assertEquals(List.of("0.5", "1.0", "2.0"), t.texts());
        assertEquals(start + Duration.ofMillis(2000).toNanos(), now);
    }

    @Test
    void aDelayQueueAddsItsDefaultDelay() {
        LocalQueue q = queue(QueueConfig.fifo("q").withDefaultDelay(Duration.ofSeconds(1)));
        Taker t = new Taker(1, 100);
        q.addConsumer(t);
        put(q, message("m", 0, Duration.ofMillis(500)));
        long wake = q.pump();
        assertEquals(Duration.ofMillis(1500).toNanos(), wake - now);
    }

    @Test
    void q4CompetingConsumersGetEachMessageOnceAndFanOutReachesEveryone() {
        LocalQueue q = queue(QueueConfig.fifo("q"));
        List<Taker> takers = List.of(new Taker(1, 1000), new Taker(2, 1000), new Taker(3, 1000));
        takers.forEach(q::addConsumer);
        for (int i = 0; i < 300; i++) {
            put(q, message("m" + i, 0, Duration.ZERO));
        }
        q.pump();
        Set<String> all = new HashSet<>();
        int total = 0;
        for (Taker t : takers) {
            assertEquals(100, t.got.size(), "round robin shares them out evenly");
            all.addAll(t.texts());
            total += t.got.size();
        }
        assertEquals(300, total);
        assertEquals(300, all.size(), "no message went to two consumers");

        Message news = message("news", 0, Duration.ZERO);
        assertEquals(ACCEPTED, q.enqueue(news, C1, DeliveryGuarantee.BROADCAST, null, 1, 1, null, false));
        q.pump();
        for (Taker t : takers) {
            assertEquals("news", text(t.got.get(t.got.size() - 1).message()), "BROADCAST fans out to every consumer");
        }
    }

    @Test
    void consumersTakeNoMoreThanTheirPrefetch() {
        LocalQueue q = queue(QueueConfig.fifo("q"));
        Taker t = new Taker(1, 2);
        q.addConsumer(t);
        for (int i = 0; i < 5; i++) {
            put(q, message("m" + i, 0, Duration.ZERO));
        }
        q.pump();
        assertEquals(List.of("m0", "m1"), t.texts());
        assertEquals(AckOutcome.ACKED, q.ack(t.got.get(0).receipt()));
        q.pump();
        assertEquals(List.of("m0", "m1", "m2"), t.texts());
        assertEquals(2, q.statistics().inFlight(), "m1 and m2 in flight");
        assertEquals(2, q.statistics().depth(), "m3 and m4 wait");
    }

    @Test
    void q5UnacknowledgedMessagesComeBackAfterTheVisibilityTimeoutThenGoToTheDeadLetterQueue() {
        LocalQueue q = queue(QueueConfig.fifo("q").withVisibilityTimeout(Duration.ofSeconds(2)).withMaxReceives(3));
        Taker t = new Taker(1, 10);
        q.addConsumer(t);
        put(q, message("m", 0, Duration.ZERO));
        long wake = q.pump();
        assertEquals(1, t.got.size());
        assertEquals(Duration.ofSeconds(2).toNanos(), wake - now);
        now = wake - 1;
        q.pump();
        assertEquals(1, t.got.size(), "invisible until the timeout");
        now = wake;
        wake = q.pump();
        assertEquals(2, t.got.size(), "visible again and redelivered");
        assertEquals(2, t.got.get(1).receiveCount());
        assertEquals(AckOutcome.STALE, q.ack(t.got.get(0).receipt()), "the first receipt died with its visibility");
        now = wake;
        wake = q.pump();
        assertEquals(3, t.got.size());
        now = wake;
        q.pump();
        assertEquals(3, t.got.size(), "maxReceives 3: no fourth hand-over");
        assertEquals(List.of("m: not acknowledged after 3 receives (maxReceives 3) on queue 'q'"), deadLetters);
        QueueStatistics s = q.statistics();
        assertEquals(1, s.sent());
        assertEquals(3, s.received());
        assertEquals(2, s.redelivered());
        assertEquals(1, s.deadLettered());
        assertEquals(0, s.inFlight());
        assertEquals(0, s.depth());
    }

    @Test
    void aReleasedMessageComesBackAtOnceAndRetriesRespectPriority() {
        LocalQueue q = queue(QueueConfig.priority("q"));
        Taker t = new Taker(1, 1);
        q.addConsumer(t);
        put(q, message("high", 9, Duration.ZERO));
        put(q, message("low", 1, Duration.ZERO));
        q.pump();
        assertEquals(List.of("high"), t.texts());
        put(q, message("mid", 5, Duration.ZERO));
        assertEquals(AckOutcome.ACKED, q.release(t.got.get(0).receipt()));
        q.pump();
        assertEquals(List.of("high", "high"), t.texts(), "the released high-priority message is served before mid");
        q.ack(t.got.get(1).receipt());
        q.pump();
        q.ack(t.got.get(2).receipt());
        q.pump();
        assertEquals(List.of("high", "high", "mid", "low"), t.texts());
    }

    @Test
    void aMessageGivenBackUnreadDoesNotCountAsAReceive() {
        LocalQueue q = queue(QueueConfig.fifo("q").withMaxReceives(1));
        Taker t = new Taker(1, 10);
        q.addConsumer(t);
        put(q, message("m", 0, Duration.ZERO));
        for (int i = 0; i < 5; i++) {
            q.pump();
            assertEquals(AckOutcome.ACKED, q.giveBack(t.got.get(i).receipt(), 1));
        }
        q.pump();
        assertEquals(6, t.got.size());
        assertEquals(1, t.got.get(5).receiveCount(), "never read: still the first receive");
        assertEquals(List.of(), deadLetters);
        assertEquals(AckOutcome.STALE, q.giveBack(t.got.get(5).receipt(), 2), "only the consumer holding it");
        assertEquals(AckOutcome.ACKED, q.release(t.got.get(5).receipt(), 1));
        assertEquals(1, deadLetters.size(), "a release is a receive: maxReceives 1 reached");
    }

    @Test
    void aRemovedConsumersMessagesGoToTheOthers() {
        LocalQueue q = queue(QueueConfig.fifo("q"));
        Taker a = new Taker(1, 10);
        Taker b = new Taker(2, 10);
        q.addConsumer(a);
        put(q, message("m", 0, Duration.ZERO));
        q.pump();
        q.addConsumer(b);
        q.removeConsumer(1);
        q.pump();
        assertEquals(List.of("m"), b.texts());
    }

    @Test
    void anUnreachableConsumerIsSkippedAndNothingIsLost() {
        LocalQueue q = queue(QueueConfig.fifo("q"));
        Taker away = new Taker(1, 10);
        away.reachable = false;
        q.addConsumer(away);
        put(q, message("m", 0, Duration.ZERO));
        assertEquals(now + RETRY, q.pump(), "asks to be pumped again soon");
        assertEquals(1, q.statistics().depth());
        assertEquals(0, q.statistics().received());
        away.reachable = true;
        q.pump();
        assertEquals(List.of("m"), away.texts());
    }

    @Test
    void q6AFullQueueRefusesAndDedupHoldsForTheWindowWithoutBeingPoisonedByRefusals() {
        LocalQueue q = queue(QueueConfig.fifo("q").withCapacity(2).withDedupWindow(Duration.ofSeconds(10)));
        Message a = message("a", 0, Duration.ZERO);
        Message b = message("b", 0, Duration.ZERO);
        Message c = message("c", 0, Duration.ZERO);
        assertEquals(ACCEPTED, put(q, a));
        assertEquals(ACCEPTED, put(q, b));
        assertEquals(FULL, put(q, c));
        assertEquals(RETRANSMITTED, put(q, a), "the same send again is acknowledged again, not stored twice");
        assertEquals(RETRANSMITTED, q.enqueue(a, C1, DeliveryGuarantee.AT_LEAST_ONCE, null, 999, 1, null, false),
                "D5: a new send of the same message (its sender restarted) is acknowledged as stored, not refused");
        Message otherA = new Message(a.id(), "q", "not a".getBytes(StandardCharsets.UTF_8), java.util.Map.of(), 0,
                Duration.ZERO, null);
        assertEquals(CONFLICT, q.enqueue(otherA, C1, DeliveryGuarantee.AT_LEAST_ONCE, null, 999, 1, null, false),
                "other content under the id inside the window is refused");
        assertEquals(2, q.statistics().depth(), "nothing stored twice");
        Taker t = new Taker(1, 10);
        q.addConsumer(t);
        q.pump();
        q.ack(t.got.get(0).receipt());
        assertEquals(ACCEPTED, put(q, c), "c was refused for room, not remembered: now it fits");
        assertEquals(AckOutcome.ACKED, q.ack(t.got.get(1).receipt()));
        advance(Duration.ofSeconds(11));
        assertEquals(ACCEPTED, q.enqueue(a, C1, DeliveryGuarantee.AT_LEAST_ONCE, null, 999, 1, null, false),
                "after the window the id is new again");
        QueueStatistics s = q.statistics();
        assertEquals(1, s.refused());
        assertEquals(3, s.duplicates());
        assertEquals(4, s.sent());
    }

    @Test
    void atCapacityTheDedupWindowForgetsTheOldestIdNeverTheNewest() {
        queueWithDedupCapacity = 3;
        LocalQueue q = queue(QueueConfig.fifo("q"));
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Message m = message("m" + i, 0, Duration.ZERO);
            sent.add(m);
            assertEquals(ACCEPTED, put(q, m));
            advance(Duration.ofMillis(1));
        }
        for (int i = 47; i < 50; i++) {
            assertEquals(RETRANSMITTED, put(q, sent.get(i)), "m" + i + " is among the newest three ids");
        }
        assertEquals(50, q.statistics().depth(), "no retransmission was stored twice");
        assertEquals(ACCEPTED, put(q, sent.get(46)), "m46 was the oldest of the four newest: forgotten first");
    }

    @Test
    void q7QuorumFansOutToAllAndCompletesAtTheRequiredAcks() {
        LocalQueue q = queue(QueueConfig.fifo("q"));
        List<Taker> takers = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            takers.add(new Taker(i, 10));
        }
        Message m = message("vote", 0, Duration.ZERO);
        AtomicInteger completions = new AtomicInteger();
        assertEquals(ACCEPTED, q.enqueue(m, C1, DeliveryGuarantee.QUORUM, null, 42, 3, completions::incrementAndGet,
                false));
        q.addConsumer(takers.get(0));
        q.addConsumer(takers.get(1));
        q.pump();
        assertEquals(0, takers.get(0).got.size(), "a QUORUM message waits until it has requiredAcks consumers");
        takers.subList(2, 5).forEach(q::addConsumer);
        q.pump();
        takers.forEach(t -> assertEquals(List.of("vote"), t.texts(), "delivered to all five"));
        assertEquals(RETRANSMITTED_PENDING, q.enqueue(m, C1, DeliveryGuarantee.QUORUM, null, 42, 3, null, false));
        List<AckOutcome> outcomes = new ArrayList<>();
        for (Taker t : takers) {
            outcomes.add(q.ack(t.got.get(0).receipt()));
            if (outcomes.size() == 2) {
                assertEquals(0, completions.get());
            }
        }
        assertEquals(1, completions.get(), "complete after exactly the third ack, once");
        assertEquals(List.of(AckOutcome.ACKED, AckOutcome.ACKED, AckOutcome.ACKED, AckOutcome.ALREADY_COMPLETE,
                AckOutcome.ALREADY_COMPLETE), outcomes);
        assertEquals(RETRANSMITTED, q.enqueue(m, C1, DeliveryGuarantee.QUORUM, null, 42, 3, null, false));
    }

    @Test
    void deadlinesAndTimeToLiveAreEnforcedWhenAMessageIsRead() {
        LocalQueue q = queue(QueueConfig.fifo("q").withMessageTtl(Duration.ofSeconds(5)));
        Message late = new Message(new MessageId(1, 1), "q", new byte[0], java.util.Map.of(), 0, Duration.ZERO,
                EPOCH.plusNanos(now).plusSeconds(1));
        put(q, late);
        put(q, message("kept", 0, Duration.ZERO));
        advance(Duration.ofSeconds(2));
        Taker t = new Taker(1, 10);
        q.addConsumer(t);
        q.pump();
        assertEquals(List.of("kept"), t.texts(), "past its deadline: dropped on read");
        assertEquals(AckOutcome.ACKED, q.ack(t.got.get(0).receipt()));
        q.removeConsumer(1);
        put(q, message("old", 0, Duration.ZERO));
        put(q, message("young", 0, Duration.ZERO));
        advance(Duration.ofSeconds(4));
        put(q, message("new", 0, Duration.ZERO));
        advance(Duration.ofSeconds(2));
        q.addConsumer(t);
        q.pump();
        assertEquals(List.of("kept", "new"), t.texts(), "'old' and 'young' outlived the queue's time to live");
        assertEquals(3, q.statistics().expired());
        assertEquals(0, q.statistics().depth());
    }
}
