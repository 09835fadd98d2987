package io.mpreg.federation.internal;


import io.mpreg.federation.EventLoop;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreadEventLoopTest {

    @Test
    void tasksRunInOrderAndTimersByTheInjectedClock() throws Exception {
        AtomicLong now = new AtomicLong();
        ThreadEventLoop loop = new ThreadEventLoop("test-loop", now::get);
        try {
            List<String> ran = new CopyOnWriteArrayList<>();
            CountDownLatch tasks = new CountDownLatch(3);
            for (String s : List.of("a", "b", "c")) {
                loop.execute(() -> {
                    assertTrue(loop.inLoop());
                    ran.add(s);
                    tasks.countDown();
                });
            }
            assertTrue(tasks.await(10, TimeUnit.SECONDS));
            CountDownLatch timers = new CountDownLatch(2);
            loop.schedule(200, () -> {
                ran.add("t200");
                timers.countDown();
            });
            loop.schedule(100, () -> {
                ran.add("t100");
                timers.countDown();
            });
            EventLoop.Timer cancelled = loop.schedule(150, () -> ran.add("cancelled"));
            cancelled.cancel();
            now.set(1_000); // the clock moves; a task wakes the loop so it looks again
            loop.execute(() -> { });
            assertTrue(timers.await(10, TimeUnit.SECONDS));
            assertEquals(List.of("a", "b", "c", "t100", "t200"), ran);
            loop.execute(() -> {
                throw new IllegalStateException("a failing task does not stop the loop");
            });
            CountDownLatch after = new CountDownLatch(1);
            loop.execute(after::countDown);
            assertTrue(after.await(10, TimeUnit.SECONDS));
        } finally {
            loop.close();
        }
    }
}
