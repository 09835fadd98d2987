package io.mpreg.it;

import java.lang.management.ManagementFactory;

/**
 * Counts the bytes the current thread allocates while running a piece of code, from the JVM's per-thread
 * allocation counter ({@code com.sun.management.ThreadMXBean}). Used to hold hot paths to "allocates nothing".
 *
 * @since 0.1.0
 */
public final class Allocations {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocations() {
    }

    /** Whether this JVM reports per-thread allocation. */
    public static boolean supported() {
        return THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled();
    }

    /** The bytes the current thread allocated while {@code work} ran. */
    public static long bytesAllocatedBy(Runnable work) {
        long id = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(id);
        work.run();
        return THREADS.getThreadAllocatedBytes(id) - before;
    }
}
