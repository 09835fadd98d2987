package io.mpreg.federation.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * A {@link Disk} that is a directory: {@link FileChannel}s, {@code force} to sync, an fsync of the directory itself
 * for creations and renamings, and an exclusive lock on {@value #LOCK} so that no two processes (nodes) use one
 * directory. Its writer is one daemon thread of its own.
 *
 * @since 0.4.0
 */
public final class FileDisk implements Disk {
    /** The lock file every node holds in its data directory while it runs. */
    public static final String LOCK = "mpreg.lock";

    private final Path directory;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ExecutorService writer;

    private FileDisk(Path directory, FileChannel lockChannel, FileLock lock) {
        this.directory = directory;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mpreg-disk-" + directory.getFileName());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens {@code directory} (creating it and its parents if needed) and locks it.
     *
     * @throws StorageException if another process (or another node in this one) holds the directory
     */
    public static FileDisk open(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
            FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new StorageException("data directory " + dir + " is in use by another node (it holds "
                        + dir.resolve(LOCK) + "); give each node a directory of its own");
            }
            return new FileDisk(dir, channel, lock);
        } catch (IOException e) {
            throw new StorageException("cannot open data directory " + dir + ": " + e, e);
        }
    }

    /** The directory. */
    public Path directory() {
        return directory;
    }

    @Override
    public List<String> list() {
        try (Stream<Path> files = Files.list(directory)) {
            List<String> names = new ArrayList<>();
            files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).filter(n -> !n.equals(LOCK))
                    .sorted().forEach(names::add);
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    @Override
    public DiskFile open(String name) {
        Path file = resolve(name);
        try {
            return new Channel(name, FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
    }

    @Override
    public void delete(String name) {
        try {
            Files.deleteIfExists(resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + resolve(name), e);
        }
    }

    @Override
    public void rename(String from, String to) {
        try {
            try {
                Files.move(resolve(from), resolve(to), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(resolve(from), resolve(to), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename " + resolve(from) + " to " + to, e);
        }
    }

    @Override
    public void syncDirectory() {
        // opening a directory for reading and forcing it fsyncs it on Linux and macOS; Windows refuses, and there
        // NTFS journals the metadata anyway
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            if (!System.getProperty("os.name", "").startsWith("Windows")) {
                throw new UncheckedIOException("cannot sync directory " + directory, e);
            }
        }
    }

    @Override
    public java.util.concurrent.Executor writer() {
        return writer;
    }

    @Override
    public String describe() {
        return directory.toString();
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) {
                writer.shutdownNow();
            }
        } catch (InterruptedException e) {
            writer.shutdownNow();
            Thread.currentThread().interrupt();
        }
        try {
            if (lock.isValid()) {
                lock.release();
            }
            lockChannel.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }

    private Path resolve(String name) {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a plain file name: '" + name + "'");
        }
        return directory.resolve(name);
    }

    private static final class Channel implements DiskFile {
        private final String name;
        private final FileChannel channel;

        Channel(String name, FileChannel channel) {
            this.name = name;
            this.channel = channel;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long size() {
            try {
                return channel.size();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot size " + name, e);
            }
        }

        @Override
        public int read(long position, ByteBuffer dst) {
            try {
                return channel.read(dst, position);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + name + " at " + position, e);
            }
        }

        @Override
        public void write(long position, ByteBuffer src) {
            try {
                long at = position;
                while (src.hasRemaining()) {
                    at += channel.write(src, at);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + name + " at " + position, e);
            }
        }

        @Override
        public void sync() {
            try {
                channel.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot sync " + name, e);
            }
        }

        @Override
        public void truncate(long size) {
            try {
                channel.truncate(size);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot truncate " + name + " to " + size, e);
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close " + name, e);
            }
        }
    }
}
