package io.mpreg.tck;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Set;
import java.util.TreeSet;

/**
 * The live threads and open file descriptors of this JVM at one moment, to show that a component released what it
 * took. File descriptors are counted where the platform reports them (Unix); elsewhere only threads are compared.
 *
 * @since 0.1.0
 */
public final class ResourceSnapshot {
    private final Set<Thread> threads;
    private final long openFiles;

    private ResourceSnapshot(Set<Thread> threads, long openFiles) {
        this.threads = threads;
        this.openFiles = openFiles;
    }

    public static ResourceSnapshot take() {
        return new ResourceSnapshot(Thread.getAllStackTraces().keySet(), openFiles());
    }

    /**
     * The names of threads alive now that were not alive at this snapshot, leaving out the JDK's shared pools and
     * housekeeping threads that any code may start lazily.
     */
    public Set<String> newThreads() {
        Set<String> out = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (t.isAlive() && !threads.contains(t) && !name.startsWith("ForkJoinPool.commonPool")
                    && !name.equals("Attach Listener") && !name.startsWith("process reaper")) {
                out.add(name);
            }
        }
        return out;
    }

    /** Open file descriptors now minus at this snapshot (0 where the platform does not report them). */
    public long extraOpenFiles() {
        long now = openFiles();
        return now < 0 || openFiles < 0 ? 0 : now - openFiles;
    }

    private static long openFiles() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean) {
            return ((com.sun.management.UnixOperatingSystemMXBean) os).getOpenFileDescriptorCount();
        }
        return -1;
    }

    @Override
    public String toString() {
        return "new threads " + newThreads() + ", extra open files " + extraOpenFiles();
    }
}
