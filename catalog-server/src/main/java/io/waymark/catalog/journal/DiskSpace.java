package io.waymark.catalog.journal;

import io.waymark.catalog.config.WaymarkConfig;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Free space in the data directory, read at most once a second. Below the configured floor
 * ({@code waymark.min-free-disk-bytes}) writes are refused with 507 while the journal still has
 * room, and the projector waits: a disk that fills up leaves Neo4j with a store it cannot recover,
 * and SQLite with failed writes, where refusing early leaves nothing to repair.
 */
@Singleton
public class DiskSpace {
    private final Path dir;
    private final long floor;
    private volatile long checkedAt;
    private volatile long free = Long.MAX_VALUE;

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

    public boolean low() {
        return free() < floor;
    }

    /** Why writes are refused, or null when there is room. */
    public String shortage() {
        long f = free();
        return f < floor ? "only " + (f >> 20) + " MiB free in " + dir + ", below the floor of " + (floor >> 20)
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
