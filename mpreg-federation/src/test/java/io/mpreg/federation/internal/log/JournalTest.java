package io.mpreg.federation.internal.log;

import io.mpreg.federation.internal.ThreadEventLoop;
import io.mpreg.federation.storage.Disk;
import io.mpreg.federation.storage.DiskFile;
import io.mpreg.federation.storage.FileDisk;
import io.mpreg.federation.storage.StorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The write-ahead log on a real directory: group commit, recovery rules (SCENARIOS D4), snapshots, failing writes. */
class JournalTest {
    private static final byte ADD = 1;
    private static final byte REMOVE = 2;

    @TempDir
    Path dir;
    private final List<ThreadEventLoop> loops = new ArrayList<>();
    private final List<Disk> disks = new ArrayList<>();

    @AfterEach
    void close() {
        loops.forEach(ThreadEventLoop::close);
        disks.forEach(Disk::close);
    }

    private ThreadEventLoop loop() {
        ThreadEventLoop loop = new ThreadEventLoop("journal-test", System::nanoTime);
        loops.add(loop);
        return loop;
    }

    private static <T> T on(ThreadEventLoop loop, Supplier<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> f.complete(task.get()));
        return f.orTimeout(30, TimeUnit.SECONDS).join();
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A journal on its own open disk; closes the previous user of the directory first. */
    private Opened open(Disk disk, long segment, long snapshotAfter, List<String> replayed) {
        Journal j = new Journal(disk, segment, snapshotAfter);
        Journal.Recovery r = j.recover((type, payload) -> replayed.add((type == ADD ? "+" : "-")
                + new String(payload, StandardCharsets.UTF_8)));
        return new Opened(j, r);
    }

    private record Opened(Journal journal, Journal.Recovery recovery) {
    }

    private FileDisk disk() {
        FileDisk d = FileDisk.open(dir);
        disks.add(d);
        return d;
    }

    /** Appends {@code texts} on the loop and waits until they are synced. */
    private static void appendSynced(ThreadEventLoop loop, Journal j, byte type, List<String> texts) {
        CompletableFuture<Void> synced = new CompletableFuture<>();
        loop.execute(() -> {
            texts.forEach(t -> j.append(type, text(t)));
            j.afterSync(() -> synced.complete(null));
        });
        synced.orTimeout(30, TimeUnit.SECONDS).join();
    }

    private static List<String> numbered(String prefix, int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    @Test
    void recordsComeBackInOrderAndAnActionRunsOnlyOnceItsRecordsAreSynced() {
        FileDisk disk = disk();
        Opened o = open(disk, 64 * 1024, 1 << 20, new ArrayList<>());
        assertEquals(new Journal.Recovery(0, 0, 0, 0, false), o.recovery());
        ThreadEventLoop loop = loop();
        o.journal().start(loop, null);
        List<String> texts = numbered("r", 0, 5_000); // several segments of 64 KiB
        appendSynced(loop, o.journal(), ADD, texts);
        Journal.Figures f = on(loop, o.journal()::figures);
        assertTrue(f.syncs() >= 1 && f.syncs() <= 2, "one sync for a loop task's records: " + f);
        o.journal().close();
        disk.close();

        List<String> replayed = new ArrayList<>();
        Opened again = open(disk(), 64 * 1024, 1 << 20, replayed);
        assertEquals(texts.stream().map(t -> "+" + t).toList(), replayed);
        assertEquals(5_000, again.recovery().records());
        assertEquals(0, again.recovery().tornRecords());
    }

    /** D4: the last record cut at any byte is truncated, counted and logged; everything synced before it is there. */
    @TestFactory
    Stream<DynamicTest> d4ATornLastRecordIsTruncatedWhereverItIsCut() {
        return Stream.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L).map(seed -> DynamicTest.dynamicTest(
                "seed " + seed, () -> tornAt(seed)));
    }

    private void tornAt(long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        Path sub = Files.createDirectory(dir.resolve("torn-" + seed));
        FileDisk disk = FileDisk.open(sub);
        Journal j = new Journal(disk, 8192, 1 << 20);
        j.recover((t, p) -> { });
        ThreadEventLoop loop = loop();
        j.start(loop, null);
        int count = 1 + random.nextInt(60);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            texts.add("m" + i + "-" + "x".repeat(random.nextInt(300)));
        }
        appendSynced(loop, j, ADD, texts);
        j.close();
        disk.close();
        // the last record: where it starts and how long it is, from the sizes of all before it in its segment
        Path segment;
        try (Stream<Path> files = Files.list(sub)) {
            segment = files.filter(p -> p.toString().endsWith(".seg")).sorted().reduce((a, b) -> b).orElseThrow();
        }
        long end = lastRecordEnd(segment);
        int lastLength = Frames.OVERHEAD + 1 + texts.get(count - 1).length();
        long start = end - lastLength;
        long cut = start + random.nextInt(lastLength); // keep a prefix of 0..length-1 bytes
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.seek(cut);
            f.write(new byte[(int) (end - cut)]);
        }
        FileDisk reopened = FileDisk.open(sub);
        disks.add(reopened);
        List<String> replayed = new ArrayList<>();
        Journal j2 = new Journal(reopened, 8192, 1 << 20);
        Journal.Recovery r = j2.recover((t, p) -> replayed.add(new String(p, StandardCharsets.UTF_8)));
        boolean cutInside = cut > start; // cut at the very start leaves nothing of it: a clean end
        assertEquals(cutInside ? 1 : 0, r.tornRecords(), "cut at " + (cut - start) + " of " + lastLength);
        assertEquals(texts.subList(0, count - 1), replayed);
        // the log goes on after the cut, and a second recovery finds it clean
        ThreadEventLoop loop2 = loop();
        j2.start(loop2, null);
        appendSynced(loop2, j2, ADD, List.of("after"));
        j2.close();
        reopened.close();
        FileDisk third = FileDisk.open(sub);
        disks.add(third);
        List<String> again = new ArrayList<>();
        Journal.Recovery r3 = new Journal(third, 8192, 1 << 20).recover((t, p) -> again.add(
                new String(p, StandardCharsets.UTF_8)));
        assertEquals(0, r3.tornRecords());
        List<String> expected = new ArrayList<>(texts.subList(0, count - 1));
        expected.add("after");
        assertEquals(expected, again);
    }

    /** One past the last non-zero byte of a preallocated segment (the end of its last record). */
    private static long lastRecordEnd(Path segment) throws IOException {
        byte[] bytes = Files.readAllBytes(segment);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        return end;
    }

    /** D4: a record failing its checksum inside the log stops recovery, naming the file and the offset. */
    @Test
    void d4ACorruptRecordInsideTheLogStopsTheNodeNamingFileAndOffset() throws IOException {
        FileDisk disk = disk();
        Journal j = new Journal(disk, 64 * 1024, 1 << 20);
        j.recover((t, p) -> { });
        ThreadEventLoop loop = loop();
        j.start(loop, null);
        appendSynced(loop, j, ADD, List.of("first", "second", "third"));
        j.close();
        disk.close();
        Path segment = dir.resolve("log-0000000000000000.seg");
        long secondAt = Frames.OVERHEAD + 1 + "first".length();
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.seek(secondAt + Frames.HEADER + 2); // a byte of "second"
            f.write('X');
        }
        StorageException e = assertThrows(StorageException.class, () -> new Journal(disk(), 64 * 1024, 1 << 20)
                .recover((t, p) -> { }));
        assertTrue(e.getMessage().contains(segment + " at offset " + secondAt), e.getMessage());
        assertTrue(e.getMessage().contains("a record failing its checksum"), e.getMessage());
    }

    @Test
    void aSnapshotReplacesTheHistorySoTheLogHoldsWhatIsLive() throws IOException {
        FileDisk disk = disk();
        Opened o = open(disk, 4096, 16 * 1024, new ArrayList<>());
        ThreadEventLoop loop = loop();
        TreeSet<String> live = new TreeSet<>(); // loop-owned: the state the records describe
        o.journal().start(loop, sink -> live.forEach(k -> sink.record(ADD, text(k))));
        for (int round = 0; round < 200; round++) {
            List<String> added = numbered("k" + round + "-", 0, 20);
            CompletableFuture<Void> synced = new CompletableFuture<>();
            int r = round;
            loop.execute(() -> {
                for (String k : added) {
                    live.add(k);
                    o.journal().append(ADD, text(k));
                }
                if (r > 0) { // acknowledge (remove) the previous round's keys
                    for (String k : numbered("k" + (r - 1) + "-", 0, 20)) {
                        live.remove(k);
                        o.journal().append(REMOVE, text(k));
                    }
                }
                o.journal().afterSync(() -> synced.complete(null));
            });
            synced.orTimeout(30, TimeUnit.SECONDS).join();
        }
        Journal.Figures f = on(loop, o.journal()::figures);
        assertTrue(f.snapshots() >= 5, f.toString());
        o.journal().close();
        disk.close();
        try (Stream<Path> files = Files.list(dir)) {
            long segments = files.filter(p -> p.toString().endsWith(".seg")).count();
            assertTrue(segments <= 6, "the log keeps a few segments, not its history: " + segments);
        }
        List<String> replayed = new ArrayList<>();
        Opened again = open(disk(), 4096, 16 * 1024, replayed);
        TreeSet<String> recovered = new TreeSet<>();
        for (String r : replayed) {
            if (r.startsWith("+")) {
                recovered.add(r.substring(1));
            } else {
                recovered.remove(r.substring(1));
            }
        }
        assertEquals(new TreeSet<>(numbered("k199-", 0, 20)), recovered);
        assertTrue(again.recovery().snapshot());
        assertTrue(again.recovery().records() < 1_000, "recovery reads what is live, not 8,000 records: "
                + again.recovery());
    }

    /**
     * With much live state, snapshots wait for four times their own size of records (their cost stays at most a
     * quarter of the records'); they are taken inside a segment, without rolling to a new one, and recovery starts at
     * their point.
     */
    @Test
    void snapshotsWaitForFourTimesTheirSizeAndRecoveryStartsAtTheirPoint() throws IOException {
        FileDisk disk = disk();
        Opened o = open(disk, 1 << 20, 4096, new ArrayList<>());
        ThreadEventLoop loop = loop();
        TreeSet<String> live = new TreeSet<>(numbered("kept-", 0, 2_000)); // about 40 KB as a snapshot
        o.journal().start(loop, sink -> live.forEach(k -> sink.record(ADD, text(k))));
        appendSynced(loop, o.journal(), ADD, List.copyOf(live));
        long appended = 0;
        for (int round = 0; round < 100; round++) {
            List<String> churn = numbered("c" + round + "-", 0, 50);
            CompletableFuture<Void> synced = new CompletableFuture<>();
            loop.execute(() -> {
                churn.forEach(k -> o.journal().append(ADD, text(k)));
                churn.forEach(k -> o.journal().append(REMOVE, text(k)));
                o.journal().afterSync(() -> synced.complete(null));
            });
            synced.orTimeout(30, TimeUnit.SECONDS).join();
            appended += churn.stream().mapToLong(k -> 2L * (Frames.OVERHEAD + 1 + k.length())).sum();
        }
        Journal.Figures f = on(loop, o.journal()::figures);
        long snapshotBytes = 2_000 * (Frames.OVERHEAD + 1 + "kept-0000".length());
        assertTrue(f.snapshots() >= 1, f.toString());
        assertTrue(f.snapshots() <= appended / (Journal.SNAPSHOT_GROWTH * snapshotBytes) + 1, "at most one per four "
                + "times its size of records ("
                + appended + " bytes appended): " + f);
        o.journal().close();
        disk.close();
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("log-0000000000000000.seg"), files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".seg")).toList(), "no segment rolled for a snapshot");
        }
        List<String> replayed = new ArrayList<>();
        Opened again = open(disk(), 1 << 20, 4096, replayed);
        TreeSet<String> recovered = new TreeSet<>();
        replayed.forEach(r -> {
            if (r.startsWith("+")) {
                recovered.add(r.substring(1));
            } else {
                recovered.remove(r.substring(1));
            }
        });
        assertEquals(live, recovered);
        assertTrue(again.recovery().snapshot());
        assertTrue(again.recovery().records() < 2_000 + Journal.SNAPSHOT_GROWTH * snapshotBytes / 10, "the snapshot "
                + "and the records "
                + "after its point, not the whole segment: " + again.recovery());
    }

    /** D9 at the log: a failing write holds back what waits for it, says why, and goes on when writes succeed. */
    @Test
    void d9AFailingWriteHoldsTheActionsBackUntilWritesSucceed() {
        AtomicBoolean failing = new AtomicBoolean();
        FileDisk real = disk();
        Disk flaky = new FailingDisk(real, failing);
        Journal j = new Journal(flaky, 64 * 1024, 1 << 20);
        j.recover((t, p) -> { });
        ThreadEventLoop loop = loop();
        j.start(loop, null);
        failing.set(true);
        CompletableFuture<Void> synced = new CompletableFuture<>();
        loop.execute(() -> {
            j.append(ADD, text("held"));
            j.afterSync(() -> synced.complete(null));
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (on(loop, j::failure) == null) { // polls a condition with a deadline
            assertTrue(System.nanoTime() < deadline, "the failure was never reported");
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        assertEquals("cannot write its log (disk full (simulated))", on(loop, j::failure));
        assertEquals(false, synced.isDone(), "nothing waiting for the record ran");
        failing.set(false);
        synced.orTimeout(30, TimeUnit.SECONDS).join();
        assertNull(on(loop, j::failure));
        assertTrue(on(loop, j::figures).writeFailures() >= 1);
    }

    @Test
    void aDirectoryHeldByAnotherNodeIsRefused() {
        disk();
        StorageException e = assertThrows(StorageException.class, () -> FileDisk.open(dir));
        assertTrue(e.getMessage().startsWith("data directory " + dir.toAbsolutePath().normalize()
                + " is in use by another node"), e.getMessage());
    }

    /** A disk whose writes fail while {@code failing} is set. */
    private record FailingDisk(Disk disk, AtomicBoolean failing) implements Disk {
        @Override
        public List<String> list() {
            return disk.list();
        }

        @Override
        public DiskFile open(String name) {
            DiskFile f = disk.open(name);
            return new DiskFile() {
                @Override
                public String name() {
                    return f.name();
                }

                @Override
                public long size() {
                    return f.size();
                }

                @Override
                public int read(long position, ByteBuffer dst) {
                    return f.read(position, dst);
                }

                @Override
                public void write(long position, ByteBuffer src) {
                    if (failing.get()) {
                        throw new UncheckedIOException(new IOException("disk full (simulated)"));
                    }
                    f.write(position, src);
                }

                @Override
                public void sync() {
                    f.sync();
                }

                @Override
                public void truncate(long size) {
                    f.truncate(size);
                }

                @Override
                public void close() {
                    f.close();
                }
            };
        }

        @Override
        public void delete(String name) {
            disk.delete(name);
        }

        @Override
        public void rename(String from, String to) {
            disk.rename(from, to);
        }

        @Override
        public void syncDirectory() {
            disk.syncDirectory();
        }

        @Override
        public java.util.concurrent.Executor writer() {
            return disk.writer();
        }

        @Override
        public String describe() {
            return disk.describe();
        }

        @Override
        public void close() {
        }
    }
}
