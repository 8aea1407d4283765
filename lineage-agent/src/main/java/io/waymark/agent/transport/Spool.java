package io.waymark.agent.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Events that could not be delivered, one file each, named so that sorting the names gives the
 * order they were produced in (time, process, sequence). A file is written under a temporary name,
 * forced to disk and renamed, so a crash leaves either the whole event or nothing; the directory
 * is forced too. The total size is bounded: past it new events are dropped (and counted), so a
 * long outage cannot fill the host's disk.
 */
public final class Spool {
    private static final String SUFFIX = ".json";
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final long PID = ProcessHandle.current().pid();

    private final Path dir;
    private final long maxBytes;
    private final AtomicLong dropped = new AtomicLong();

    public Spool(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
    }

    public Path dir() {
        return dir;
    }

    public long dropped() {
        return dropped.get();
    }

    /** Writes one event durably; false when the spool is full or cannot be written. */
    public boolean add(String json) {
        try {
            Files.createDirectories(dir);
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            if (size() + bytes.length > maxBytes) {
                dropped.incrementAndGet();
                return false;
            }
            String name = String.format("%015d-%010d-%012d", System.currentTimeMillis(), PID, SEQUENCE.incrementAndGet());
            Path tmp = dir.resolve(name + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true);
            }
            Files.move(tmp, dir.resolve(name + SUFFIX), StandardCopyOption.ATOMIC_MOVE);
            forceDirectory();
            return true;
        } catch (IOException | RuntimeException e) {
            dropped.incrementAndGet();
            return false;
        }
    }

    /** The spooled events, oldest first. */
    public List<Path> pending() {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            stream.forEach(files::add);
        } catch (IOException e) {
            return files;
        }
        files.sort(null);
        return files;
    }

    public boolean isEmpty() {
        return pending().isEmpty();
    }

    public static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    public void remove(Path file) throws IOException {
        Files.deleteIfExists(file);
        forceDirectory();
    }

    /**
     * Holds the spool's lock while {@code action} runs, so two processes (a job and a flush, two
     * jobs sharing a spool) never send the same file twice. Returns false when another holds it.
     */
    public boolean locked(Runnable action) {
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = ch.tryLock()) {
                if (lock == null) {
                    return false;
                }
                action.run();
                return true;
            }
        } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
            return false;
        }
    }

    private long size() throws IOException {
        long total = 0;
        for (Path p : pending()) {
            total += Files.size(p);
        }
        return total;
    }

    private void forceDirectory() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // Not every file system lets a directory be opened; the rename is still atomic.
        }
    }
}
