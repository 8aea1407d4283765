package io.waymark.catalog.projection;

import jakarta.inject.Singleton;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Makes a projection batch visible all at once: the graph commit and the in-memory views of the
 * graph (the lineage index, the node cache) switch under the write side, and a read that combines
 * them (a lineage walk over the index that then reads its nodes from the graph) runs under the read
 * side, so it never sees a job whose edges of the same batch are not in the index yet. Writers hold
 * it only for the commit and the in-memory update, never while statements run.
 */
@Singleton
public class Visibility {
    // Fair: a steady stream of reads must not keep a commit waiting.
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);

    public <T> T read(Supplier<T> reading) {
        lock.readLock().lock();
        try {
            return reading.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    void beginSwitch() {
        lock.writeLock().lock();
    }

    /** Releases every hold this thread has (a retried transaction may have taken it more than once). */
    void endSwitch() {
        while (lock.isWriteLockedByCurrentThread()) {
            lock.writeLock().unlock();
        }
    }
}
