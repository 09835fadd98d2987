package io.mpreg.it.sim;

import io.mpreg.federation.storage.Disk;
import io.mpreg.federation.storage.DiskFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Executor;

/**
 * A node slot's disk in the simulator: it outlives the node's incarnations. What was synced survives a
 * {@link #crash}; what was not is lost, except that the last unsynced write may leave a prefix of itself (torn at any
 * byte); creations, deletions and renames survive only if the directory was synced. Now and then (when the run says
 * so) a crash also flips a bit in a synced record, and the node must then refuse to start. Writes and syncs take a
 * little virtual time on the simulation's clock; everything runs on its one thread, so runs replay exactly.
 *
 * @since 0.4.0
 */
public final class SimDisk {

    /** One file: its bytes now, and the bytes a crash would leave (as of its last sync). */
    private static final class SimFile {
        byte[] bytes = new byte[0];
        byte[] synced = new byte[0];
        final List<long[]> unsynced = new ArrayList<>(); // {position, length} of each write since the last sync
        final List<byte[]> unsyncedBytes = new ArrayList<>();

        void write(long position, byte[] data) {
            int end = Math.toIntExact(position + data.length);
            if (end > bytes.length) {
                bytes = Arrays.copyOf(bytes, end);
            }
            System.arraycopy(data, 0, bytes, (int) position, data.length);
            unsynced.add(new long[]{position, data.length});
            unsyncedBytes.add(data);
        }

        void sync() {
            synced = bytes.clone();
            unsynced.clear();
            unsyncedBytes.clear();
        }
    }

    private final Simulation sim;
    private final String name;
    private final Map<String, SimFile> files = new TreeMap<>();
    private Map<String, SimFile> syncedDirectory = new TreeMap<>();
    private Handle current;
    private long tornRecords;
    private boolean corrupted;

    public SimDisk(Simulation sim, String name) {
        this.sim = sim;
        this.name = name;
    }

    /** The disk for a new incarnation of its node (the previous one must have crashed or closed). */
    public Disk open() {
        current = new Handle();
        return current;
    }

    /**
     * The node crashed: unsynced writes are lost but for a torn prefix of the last one, unsynced directory changes
     * are undone, and with {@code corrupt} a bit of a synced record flips. Its handle stops working.
     */
    public void crash(boolean corrupt) {
        if (current != null) {
            current.dead = true;
        }
        SplittableRandom r = sim.random();
        SimFile last = null;
        for (SimFile f : files.values()) { // the last unsynced write of one file (which: drawn) may be torn
            if (!f.unsynced.isEmpty() && (last == null || r.nextBoolean())) {
                last = f;
            }
        }
        java.util.Set<SimFile> all = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        all.addAll(files.values());
        all.addAll(syncedDirectory.values());
        for (SimFile f : all) {
            byte[] kept = f.synced.clone();
            if (f == last) {
                int i = f.unsynced.size() - 1;
                long[] w = f.unsynced.get(i);
                int prefix = r.nextInt((int) w[1] + 1);
                if (prefix > 0 && prefix < w[1]) {
                    tornRecords++;
                }
                int end = (int) Math.max(kept.length, w[0] + prefix);
                kept = Arrays.copyOf(kept, end);
                System.arraycopy(f.unsyncedBytes.get(i), 0, kept, (int) w[0], prefix);
            }
            f.bytes = kept;
            f.sync();
        }
        files.clear();
        files.putAll(syncedDirectory);
        if (corrupt) {
            for (Map.Entry<String, SimFile> e : files.entrySet()) {
                byte[] b = e.getValue().bytes;
                if (e.getKey().endsWith(".seg") && b.length > 8 && (b[0] | b[1] | b[2] | b[3]) != 0) { // a record
                    b[4 + r.nextInt(4)] ^= (byte) (1 << r.nextInt(8)); // the first record's checksum
                    e.getValue().sync();
                    corrupted = true;
                    break;
                }
            }
        }
    }

    /** The node is closing cleanly: its last writes run at once (the simulation's one thread is closing it). */
    public void closing() {
        if (current != null) {
            current.closed = true;
        }
    }

    /** Whether a crash damaged a synced record (the node must then refuse to start). */
    public boolean corrupted() {
        return corrupted;
    }

    /** Writes a crash cut short, so far. */
    public long tornWrites() {
        return tornRecords;
    }

    private final class Handle implements Disk {
        boolean dead;
        boolean closed;

        private void alive() {
            if (dead) {
                throw new UncheckedIOException(new IOException("simulated disk of " + name + ": the node crashed"));
            }
        }

        @Override
        public List<String> list() {
            alive();
            return new ArrayList<>(files.keySet());
        }

        @Override
        public DiskFile open(String file) {
            alive();
            SimFile f = files.computeIfAbsent(file, n -> new SimFile());
            return new DiskFile() {
                @Override
                public String name() {
                    return file;
                }

                @Override
                public long size() {
                    alive();
                    return f.bytes.length;
                }

                @Override
                public int read(long position, ByteBuffer dst) {
                    alive();
                    if (position >= f.bytes.length) {
                        return -1;
                    }
                    int n = (int) Math.min(dst.remaining(), f.bytes.length - position);
                    dst.put(f.bytes, (int) position, n);
                    return n;
                }

                @Override
                public void write(long position, ByteBuffer src) {
                    alive();
                    byte[] data = new byte[src.remaining()];
                    src.get(data);
                    f.write(position, data);
                }

                @Override
                public void sync() {
                    alive();
                    f.sync();
                }

                @Override
                public void truncate(long size) {
                    alive();
                    if (size < f.bytes.length) {
                        f.bytes = Arrays.copyOf(f.bytes, (int) size);
                        f.unsynced.add(new long[]{size, 0});
                        f.unsyncedBytes.add(new byte[0]);
                    }
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void delete(String file) {
            alive();
            files.remove(file);
        }

        @Override
        public void rename(String from, String to) {
            alive();
            SimFile f = files.remove(from);
            if (f != null) {
                files.put(to, f);
            }
        }

        @Override
        public void syncDirectory() {
            alive();
            syncedDirectory = new TreeMap<>(files);
        }

        @Override
        public Executor writer() {
            // a write takes 0.1 to 2 ms of virtual time; once the node crashed or closes, at once (it fails or is
            // the last flush of a clean stop)
            return task -> {
                if (dead || closed || !sim.inEvent()) {
                    task.run();
                } else {
                    sim.after(100_000 + sim.random().nextInt(1_900_000), name + "/disk", task);
                }
            };
        }

        @Override
        public String describe() {
            return "simulated disk of " + name;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
