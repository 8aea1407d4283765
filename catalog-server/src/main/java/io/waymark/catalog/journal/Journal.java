package io.waymark.catalog.journal;

import io.waymark.catalog.config.PrivateFiles;

import io.waymark.catalog.audit.AuditLog;
import io.waymark.catalog.config.WaymarkConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

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

    private final Jdbi jdbi;
    /**
     * The same database for the writer: its transactions take the write lock when they begin
     * (BEGIN IMMEDIATE). They read the audit chain's head before appending to it, and a plain
     * transaction would then fail with SQLITE_BUSY when another process (the token command)
     * committed in between, which the busy timeout cannot wait out.
     */
    private final Jdbi immediate;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(100_000);
    private final List<Runnable> commitListeners = new CopyOnWriteArrayList<>();
    private final int maxBatch;
    private final Thread writer;
    private volatile boolean running = true;
    /** The id of the newest committed journal row: what a write's answer names as its position. */
    private volatile long position;

    public Journal(WaymarkConfig config) {
        Path dir = config.dataPath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir, e);
        }
        // The journal holds the audit log and token hashes: the owner's alone. SQLite gives its
        // -wal and -shm files the main file's permissions.
        PrivateFiles.restrict(dir.resolve("journal.db"));
        for (String side : new String[] {"journal.db-wal", "journal.db-shm"}) {
            if (Files.exists(dir.resolve(side))) {
                PrivateFiles.restrict(dir.resolve(side));
            }
        }
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL: the WAL is fsync'd at every commit, so an acknowledged event survives power loss,
        // not only a process crash. Group commit pays that fsync once per batch.
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        sqlite.setBusyTimeout(30_000);
        sqlite.enforceForeignKeys(true);
        SQLiteDataSource dataSource = new SQLiteDataSource(sqlite);
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve("journal.db"));
        this.jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin());
        SQLiteConfig locking = new SQLiteConfig(sqlite.toProperties());
        locking.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource writerSource = new SQLiteDataSource(locking);
        writerSource.setUrl(dataSource.getUrl());
        this.immediate = Jdbi.create(writerSource).installPlugin(new SqlObjectPlugin());
        Migrations.apply(jdbi, "sqlite");
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
                return immediate.inTransaction(work);
            } catch (RuntimeException e) {
                if (attempt >= 8 || !busy(e)) {
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

    private static boolean busy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.sqlite.SQLiteException s && s.getResultCode().name().startsWith("SQLITE_BUSY")) {
                return true;
            }
        }
        return false;
    }


    private void writeLoop() {
        // IMMEDIATE: the audit entries written in these transactions read the chain's head first.
        try (Handle handle = immediate.open()) {
            JournalDao dao = handle.attach(JournalDao.class);
            List<Pending> batch = new ArrayList<>();
            while (running || !queue.isEmpty()) {
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
                commit(handle, dao, batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("journal writer stopped", e);
        }
    }

    private void commit(Handle handle, JournalDao dao, List<Pending> batch) {
        List<NewEvent> all = new ArrayList<>();
        batch.forEach(p -> all.addAll(p.events));
        int[] counts;
        try {
            List<AuditLog.Entry> audited = batch.stream().map(Pending::audit).filter(java.util.Objects::nonNull).toList();
            long started = System.nanoTime();
            long[] marks = new long[2];
            counts = handle.inTransaction(h -> {
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
            LOG.error("journal commit of {} events failed", all.size(), e);
            batch.forEach(p -> p.done.completeExceptionally(e));
            return;
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
