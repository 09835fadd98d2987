package io.mpreg.it;

import io.mpreg.federation.storage.Disk;
import io.mpreg.federation.storage.DiskFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/** A real disk whose file writes fail with "No space left on device" while {@code full} is set (SCENARIOS D9). */
record FlakyDisk(Disk disk, AtomicBoolean full) implements Disk {

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
                if (full.get()) {
                    throw new UncheckedIOException("cannot write " + name,
                            new IOException("No space left on device"));
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
    public Executor writer() {
        return disk.writer();
    }

    @Override
    public String describe() {
        return disk.describe();
    }

    @Override
    public void close() {
        disk.close();
    }
}
