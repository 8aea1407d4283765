package io.waymark.catalog.journal;

import io.waymark.catalog.config.WaymarkConfig;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Free space in the data directory, read at most once a second. A disk that fills up leaves Neo4j
 * with a store it cannot recover and SQLite with failed writes; refusing early leaves nothing to
 * repair. Two thresholds: writes are refused (507) once free space, less what the projection
 * backlog will still write into the graph (up to three times its journal size), falls below the floor
 * ({@code waymark.min-free-disk-bytes}); the projector itself only stops below half the floor, so
 * it can work off that backlog in the room kept for it. Measured on a 256 MB tmpfs (FullDiskTest):
 * with the floor alone, a 78 MB backlog of 16 KB events took the graph past the end of the disk.
 */
@Singleton
public class DiskSpace {
    /** What projecting an event of n bytes may take on disk, as a multiple of n (measured in FullDiskTest). */
    static final long GRAPH_GROWTH = 3;
    private final Path dir;
    private final long floor;
    private volatile long checkedAt;
    private volatile long free = Long.MAX_VALUE;
    /** Bytes of journaled events not yet projected: counted as events are appended and projected, set from the journal at start. */
    private final java.util.concurrent.atomic.AtomicLong pending = new java.util.concurrent.atomic.AtomicLong();

    public DiskSpace(WaymarkConfig config) {
        this.dir = config.dataPath();
        this.floor = config.getMinFreeDiskBytes();
    }

    /** Usable bytes on the data directory's file system (Long.MAX_VALUE when it cannot be read). */
    public long free() {
        long now = System.nanoTime();
        if (now - checkedAt > 1_000_000_000L || checkedAt == 0) {
            try {
                Files.createDirectories(dir);
                FileStore store = Files.getFileStore(dir);
                free = store.getUsableSpace();
            } catch (IOException | SecurityException e) {
                free = Long.MAX_VALUE;
            }
            checkedAt = now;
        }
        return free;
    }

    /** The projector's backlog as the journal holds it (at start, and after a rebuild's reset). */
    public void backlog(long bytes) {
        pending.set(bytes);
    }

    public void appended(long bytes) {
        pending.addAndGet(bytes);
    }

    public void projected(long bytes) {
        pending.updateAndGet(p -> Math.max(0, p - bytes));
    }

    /** Why writes are refused, or null when there is room. */
    public String shortage() {
        long f = free();
        // The graph takes about its events' size again in its transaction log, and again in its store.
        long reserved = GRAPH_GROWTH * pending.get();
        return f - reserved < floor ? "only " + (f >> 20) + " MiB free in " + dir + (reserved > 0 ? " with " + (reserved >> 20)
                + " MiB still to project" : "") + ", below the floor of " + (floor >> 20) + " MiB (waymark.min-free-disk-bytes)" : null;
    }

    /** Why projection waits, or null: only below half the floor, the room kept for the backlog. */
    public String projectionShortage() {
        long f = free();
        return f < floor / 2 ? "only " + (f >> 20) + " MiB free in " + dir + ", below half the floor of " + (floor >> 20)
                + " MiB (waymark.min-free-disk-bytes)" : null;
    }

    /** Refuses a write when space is low. */
    public void check() {
        String shortage = shortage();
        if (shortage != null) {
            throw new InsufficientStorageException(shortage + "; nothing was stored, retry once space is freed");
        }
    }
}
