package io.waymark.catalog.projection;

import io.micronaut.context.annotation.Context;
import io.waymark.catalog.config.WaymarkConfig;
import io.waymark.catalog.ingest.Json;
import io.waymark.catalog.journal.Journal;
import io.waymark.catalog.journal.JournalEntry;
import io.waymark.catalog.ops.Metrics;
import jakarta.annotation.PreDestroy;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.exceptions.ClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Follows the journal and applies it to the graph in batches. The watermark (last applied
 * journal id) is stored in the journal database after each graph commit; a crash between the
 * two replays a batch, which the idempotent writes absorb.
 */
@Context
public class Projector implements AutoCloseable {
    static final String NAME = "graph";
    private static final Logger LOG = LoggerFactory.getLogger(Projector.class);

    private final Journal journal;
    private final List<GraphChangeListener> listeners;
    private final Driver driver;
    private final Metrics metrics;
    private final int batchSize;
    private final EventProjection projection = new EventProjection(Json.STRICT);
    /** Guards the conditions only; never held while talking to Neo4j or SQLite. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Keeps a rebuild and a projection step apart. */
    private final ReentrantLock stepLock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition progress = lock.newCondition();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean paused;
    private volatile boolean urgent;
    private boolean lingering;
    private final long lingerNanos;
    private volatile long watermark;

    public Projector(Journal journal, Driver driver, Metrics metrics, WaymarkConfig config, List<GraphChangeListener> listeners) {
        this.journal = journal;
        this.listeners = listeners;
        this.driver = driver;
        this.metrics = metrics;
        this.batchSize = config.getProjectorBatchSize();
        this.lingerNanos = TimeUnit.MILLISECONDS.toNanos(config.getProjectorLingerMillis());
        this.watermark = journal.read(dao -> dao.watermark(NAME).orElse(0L));
        journal.onCommit(this::wake);
        metrics.gauge("waymark_projection_lag_events", "Journal events not yet applied to the graph",
                () -> Math.max(0, journal.read(dao -> dao.maxId()) - watermark));
        if (config.isProjectorEnabled()) {
            DerivedState.backfill(driver);
        }
        listeners.forEach(GraphChangeListener::reset);
        this.thread = new Thread(this::loop, "graph-projector");
        thread.setDaemon(true);
        if (config.isProjectorEnabled()) {
            thread.start();
        } else {
            LOG.warn("projector disabled (waymark.projector-enabled=false): events are journaled but not applied to the graph");
        }
    }

    public long watermark() {
        return watermark;
    }

    /** Blocks until every event committed so far is in the graph, or the timeout passes. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long target = journal.read(dao -> dao.maxId());
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (watermark < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                urgent = true;
                work.signalAll();
                progress.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Empties the graph and replays the whole journal into it. */
    public void rebuild() throws InterruptedException {
        paused = true;
        stepLock.lock();
        try {
            try (Session session = driver.session()) {
                session.run("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume();
            }
            journal.read(dao -> {
                dao.setWatermark(NAME, 0, Instant.now().toString());
                dao.clearErrors();
                return null;
            });
            watermark = 0;
            listeners.forEach(GraphChangeListener::reset);
        } finally {
            paused = false;
            stepLock.unlock();
        }
        awaitCaughtUp(Duration.ofHours(6));
    }

    /** Runs on the journal writer's thread after each commit, so it must never block. */
    private void wake() {
        if (lock.tryLock()) {
            try {
                if (!lingering) {
                    work.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private void loop() {
        while (running) {
            try {
                int applied = paused ? 0 : step();
                if (applied == batchSize) {
                    continue;
                }
                lock.lock();
                try {
                    progress.signalAll();
                    if (applied > 0 && !urgent) {
                        // A part batch: let more events gather before the next one. Each statement
                        // and commit has a fixed cost, so big batches are what keeps projection
                        // from eating the CPU that ingest needs (measured, see BENCHMARKS.md).
                        lingering = true;
                        long deadline = System.nanoTime() + lingerNanos;
                        while (!urgent && running && System.nanoTime() < deadline) {
                            work.awaitNanos(deadline - System.nanoTime());
                        }
                        lingering = false;
                    } else if (applied == 0 && !urgent) {
                        work.await(500, TimeUnit.MILLISECONDS);
                    }
                    urgent = false;
                } finally {
                    lock.unlock();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("projection step failed; retrying", e);
                sleepQuietly();
            }
        }
    }

    /** Applies the next batch; returns how many journal entries it covered. */
    int step() {
        stepLock.lock();
        try {
            List<JournalEntry> entries = journal.read(dao -> dao.after(watermark, batchSize));
            if (entries.isEmpty()) {
                return 0;
            }
            long started = System.nanoTime();
            int start = 0;
            // Operator deletes are applied on their own so they stay ordered against the events around them.
            for (int i = 0; i <= entries.size(); i++) {
                boolean boundary = i == entries.size() || entries.get(i).kind().startsWith("DELETE_");
                if (boundary) {
                    apply(entries.subList(start, i));
                    if (i < entries.size()) {
                        apply(entries.subList(i, i + 1));
                    }
                    start = i + 1;
                }
            }
            metrics.projected(entries.size(), System.nanoTime() - started);
            return entries.size();
        } finally {
            stepLock.unlock();
        }
    }

    private void apply(List<JournalEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try {
            write(entries);
        } catch (ClientException | IllegalStateException batchFailure) {
            // Something in the batch cannot be applied (as opposed to the graph being unavailable,
            // which is retried as a whole): apply the entries one by one and set the bad one aside.
            for (JournalEntry entry : entries) {
                try {
                    write(List.of(entry));
                } catch (ClientException | IllegalStateException e) {
                    LOG.error("journal event {} cannot be projected; recorded in projection_error", entry.id(), e);
                    String message = String.valueOf(e.getMessage());
                    journal.read(dao -> {
                        dao.recordError(entry.id(), Instant.now().toString(), message.length() > 2000 ? message.substring(0, 2000) : message);
                        return null;
                    });
                    metrics.projectionError();
                    advance(entry.id());
                }
            }
        }
    }

    private void write(List<JournalEntry> entries) {
        ProjectionBatch batch = new ProjectionBatch();
        for (JournalEntry entry : entries) {
            try {
                projection.add(entry, batch);
            } catch (Exception e) {
                throw new IllegalStateException("cannot read journal event " + entry.id() + ": " + e.getMessage(), e);
            }
        }
        GraphWriter.Written written;
        try (Session session = driver.session()) {
            written = session.executeWrite(tx -> GraphWriter.write(tx, batch));
        }
        GraphChange change = batch.change(written);
        listeners.forEach(l -> l.changed(change));
        advance(entries.get(entries.size() - 1).id());
    }

    private void advance(long id) {
        journal.read(dao -> {
            dao.setWatermark(NAME, id, Instant.now().toString());
            return null;
        });
        watermark = id;
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
