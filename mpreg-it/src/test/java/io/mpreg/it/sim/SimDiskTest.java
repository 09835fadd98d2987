package io.mpreg.it.sim;

import io.mpreg.federation.storage.Disk;
import io.mpreg.federation.storage.DiskFile;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulated disk's crash model: synced bytes stay, unsynced ones go but for a torn prefix of the last write. */
class SimDiskTest {

    private static byte[] read(DiskFile f) {
        ByteBuffer b = ByteBuffer.allocate((int) f.size());
        f.read(0, b);
        return b.array();
    }

    private static void write(DiskFile f, long at, byte... bytes) {
        f.write(at, ByteBuffer.wrap(bytes));
    }

    @TestFactory
    Stream<DynamicTest> aCrashKeepsWhatWasSyncedAndAtMostAPrefixOfTheLastWrite() {
        return LongStream.rangeClosed(1, 20).mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> {
            Simulation sim = new Simulation(seed);
            SimDisk disk = new SimDisk(sim, "n");
            Disk d = disk.open();
            DiskFile f = d.open("log");
            d.syncDirectory();
            write(f, 0, new byte[]{1, 2, 3});
            f.sync();
            write(f, 3, new byte[]{4, 5});
            write(f, 5, new byte[]{6, 7, 8, 9});
            disk.crash(false);
            assertThrows(UncheckedIOException.class, () -> f.size(), "the crashed incarnation's handle is dead");
            byte[] after = read(disk.open().open("log"));
            assertTrue(after.length >= 3 && after.length <= 9, Arrays.toString(after));
            assertArrayEquals(new byte[]{1, 2, 3}, Arrays.copyOf(after, 3), "what was synced stays");
            if (after.length > 3) {
                // the first unsynced write is gone (the last one's prefix leaves zeros before it)
                assertArrayEquals(new byte[]{0, 0}, Arrays.copyOfRange(after, 3, 5));
                assertArrayEquals(Arrays.copyOf(new byte[]{6, 7, 8, 9}, after.length - 5),
                        Arrays.copyOfRange(after, 5, after.length), "a prefix of the last write");
            }
        }));
    }

    @Test
    void directoryChangesSurviveACrashOnlyIfTheDirectoryWasSynced() {
        Simulation sim = new Simulation(1);
        SimDisk disk = new SimDisk(sim, "n");
        Disk d = disk.open();
        d.open("kept").sync();
        d.syncDirectory();
        d.open("lost").sync();
        disk.crash(false);
        assertEquals(List.of("kept"), disk.open().list());
    }

    @Test
    void aDamagingCrashFlipsABitOfTheFirstRecordsChecksum() {
        Simulation sim = new Simulation(3);
        SimDisk disk = new SimDisk(sim, "n");
        Disk d = disk.open();
        DiskFile f = d.open("log-0.seg");
        d.syncDirectory();
        byte[] record = {0, 0, 0, 2, 9, 9, 9, 9, 7, 7, (byte) 0xA5};
        write(f, 0, record);
        f.sync();
        disk.crash(true);
        byte[] after = read(disk.open().open("log-0.seg"));
        assertTrue(disk.corrupted());
        int differing = 0;
        for (int i = 0; i < record.length; i++) {
            differing += after[i] != record[i] ? 1 : 0;
            assertTrue(after[i] == record[i] || i >= 4 && i < 8, "only the checksum changes, at " + i);
        }
        assertEquals(1, differing);
    }
}
