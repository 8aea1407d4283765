package io.waymark.catalog.journal;

import io.waymark.catalog.audit.AuditLog;
import io.waymark.catalog.config.JournalConfig;
import io.waymark.catalog.config.WaymarkConfig;
import jakarta.inject.Inject;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The durable event journal. Appends go through one writer thread that gathers every request
 * waiting at that moment into one transaction and one fsync (group commit), and completes the
 * callers' futures only after the commit returned.
 */
@Singleton
public class Journal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

    private final JournalDatabase db;
    private final Jdbi jdbi;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(100_000);
    private final List<Runnable> commitListeners = new CopyOnWriteArrayList<>();
    private final int maxBatch;
    private final Thread writer;
    private volatile boolean running = true;
    /** The id of the newest committed journal row: what a write's answer names as its position. */
    private volatile long position;

    /** A journal where WAYMARK_JOURNAL_* says (SQLite in the data directory when unset): for commands and tests. */
    public Journal(WaymarkConfig config) {
        this(config, JournalConfig.fromEnvironment());
    }

    @Inject
    public Journal(WaymarkConfig config, JournalConfig journalConfig) {
        this.db = JournalDatabase.open(config.dataPath(), journalConfig);
        this.jdbi = db.jdbi;
        Migrations.apply(db.writer, db.dialect, db::lockForWrite);
        this.position = read(dao -> dao.maxId());
        this.maxBatch = config.getJournalMaxBatch();
        this.writer = new Thread(this::writeLoop, "journal-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Appends events; the future completes after they are committed, with one flag per event telling whether it was new. */
    public CompletableFuture<boolean[]> append(List<NewEvent> events) {
        return append(events, null);
    }

    /**
     * Appends events and the request's audit entry in the same transaction: both are committed
     * with one fsync, or neither is. The entries of a group commit are chained in one go.
     */
    public CompletableFuture<boolean[]> append(List<NewEvent> events, AuditLog.Entry audit) {
        Pending pending = new Pending(events, audit, new CompletableFuture<>());
        if (!running) {
            pending.done.completeExceptionally(new IllegalStateException("journal is closed"));
            return pending.done;
        }
        try {
            if (!queue.offer(pending, 30, TimeUnit.SECONDS)) {
                pending.done.completeExceptionally(new IllegalStateException("journal queue full"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.done.completeExceptionally(e);
        }
        return pending.done;
    }

    /** The newest committed journal position: every write committed before this call is at or below it. */
    public long position() {
        return position;
    }

    public void onCommit(Runnable listener) {
        commitListeners.add(listener);
    }

    public <T> T read(Function<JournalDao, T> query) {
        return jdbi.withExtension(JournalDao.class, query::apply);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /**
     * A transaction that reads and then writes (outside the event writer): it takes the write lock
     * when it begins (BEGIN IMMEDIATE), so a commit by another connection in between makes it wait
     * rather than fail, as a transaction that began as a read does (SQLITE_BUSY_SNAPSHOT).
     */
    public <T> T writeTransaction(org.jdbi.v3.core.HandleCallback<T, RuntimeException> work) {
        // Seen under load in CI even so: SQLITE_BUSY from a statement inside the transaction, which
        // SQLite returns at once rather than wait (its deadlock rule). The transaction was rolled
        // back whole, so it is tried again after a short pause.
        for (int attempt = 1; ; attempt++) {
            try {
                return db.writer.inTransaction(h -> {
                    db.lockForWrite(h);
                    return work.withHandle(h);
                });
            } catch (RuntimeException e) {
                if (attempt >= 8 || !JournalDatabase.retryable(e)) {
                    throw e;
                }
                try {
                    Thread.sleep(10L << attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        boolean attempted = false;
        boolean retryBatch = false;
        while (running || !queue.isEmpty() || !batch.isEmpty()) {
            // One connection for as long as it works. A lost one (a PostgreSQL restart) is opened
            // again, and the batch it was committing is tried once more on the new one: its
            // transaction was rolled back whole, so nothing is written twice.
            try (Handle handle = db.writer.open()) {
                JournalDao dao = handle.attach(JournalDao.class);
                while (running || !queue.isEmpty() || !batch.isEmpty()) {
                    if (batch.isEmpty()) {
                        Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                        if (first == null) {
                            continue;
                        }
                        batch.add(first);
                        int events = first.events.size();
                        while (events < maxBatch) {
                            Pending next = queue.poll();
                            if (next == null) {
                                break;
                            }
                            batch.add(next);
                            events += next.events.size();
                        }
                        attempted = false;
                    }
                    RuntimeException failure = commit(handle, dao, batch);
                    if (failure == null) {
                        batch.clear();
                        continue;
                    }
                    boolean lost = !handle.getConnection().isValid(2);
                    if (lost && !attempted) {
                        attempted = true;
                        retryBatch = true;
                        break;
                    }
                    LOG.error("journal commit of {} events failed", batch.stream().mapToInt(p -> p.events.size()).sum(), failure);
                    batch.forEach(p -> p.done.completeExceptionally(failure));
                    batch.clear();
                    if (lost) {
                        break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | java.sql.SQLException e) {
                if (!retryBatch) {
                    // The database is away: writers are answered at once (503) rather than left waiting.
                    batch.forEach(p -> p.done.completeExceptionally(e));
                    batch.clear();
                    for (Pending p = queue.poll(); p != null; p = queue.poll()) {
                        p.done.completeExceptionally(e);
                    }
                    LOG.warn("journal writer cannot reach its database ({}); trying again in a second", e.getMessage());
                    sleep(1000);
                }
            }
            if (retryBatch) {
                retryBatch = false;
                LOG.warn("journal writer lost its database connection; committing the batch again on a new one");
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Commits a batch and answers its callers; on failure returns it, and the callers are not yet answered. */
    private RuntimeException commit(Handle handle, JournalDao dao, List<Pending> batch) {
        List<NewEvent> all = new ArrayList<>();
        batch.forEach(p -> all.addAll(p.events));
        int[] counts;
        try {
            List<AuditLog.Entry> audited = batch.stream().map(Pending::audit).filter(java.util.Objects::nonNull).toList();
            long started = System.nanoTime();
            long[] marks = new long[2];
            counts = handle.inTransaction(h -> {
                db.lockForWrite(h);
                // An audit entry alone (a governance write, a refused login) comes with no events.
                int[] inserted = all.isEmpty() ? new int[0] : dao.insert(all);
                marks[0] = System.nanoTime();
                if (!audited.isEmpty()) {
                    AuditLog.appendWithin(h, audited);
                }
                marks[1] = System.nanoTime();
                if (!all.isEmpty()) {
                    // The writer's own attached DAO: attaching one per commit built its proxy machinery each time.
                    position = dao.maxId();
                }
                return inserted;
            });
            timings.add(all.size(), marks[0] - started, marks[1] - marks[0], System.nanoTime() - marks[1]);
        } catch (RuntimeException e) {
            return e;
        }
        int offset = 0;
        for (Pending p : batch) {
            boolean[] inserted = new boolean[p.events.size()];
            for (int i = 0; i < inserted.length; i++) {
                inserted[i] = counts[offset + i] != 0;
            }
            offset += inserted.length;
            p.done.complete(inserted);
        }
        if (!all.isEmpty()) {
            commitListeners.forEach(Runnable::run);
        }
        return null;
    }

    @PreDestroy
    @Override
    public void close() {
        running = false;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        db.close();
    }

    /**
     * Where the writer's time goes, averaged over every 1,000 commits at debug level
     * ({@code -Dlogger.levels.io.waymark.catalog.journal=DEBUG}): inserting events, chaining their
     * audit entries, and the commit itself (the WAL fsync). Only the writer thread touches it.
     */
    private static final class Timings {
        private long commits;
        private long events;
        private long insert;
        private long audit;
        private long commit;

        void add(int batch, long insertNanos, long auditNanos, long commitNanos) {
            commits++;
            events += batch;
            insert += insertNanos;
            audit += auditNanos;
            commit += commitNanos;
            if (commits == 1000) {
                LOG.debug("journal: {} commits of {} events: per commit insert {} µs, audit entries {} µs, commit {} µs", commits, events,
                        insert / commits / 1000, audit / commits / 1000, commit / commits / 1000);
                commits = events = insert = audit = commit = 0;
            }
        }
    }

    private final Timings timings = new Timings();

    private record Pending(List<NewEvent> events, AuditLog.Entry audit, CompletableFuture<boolean[]> done) {}
}
