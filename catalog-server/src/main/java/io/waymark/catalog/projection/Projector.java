package io.waymark.catalog.projection;

import io.micronaut.context.annotation.Context;
import io.waymark.catalog.cluster.Leadership;
import io.waymark.catalog.config.WaymarkConfig;
import io.waymark.catalog.ingest.Json;
import io.waymark.catalog.journal.DiskSpace;
import io.waymark.catalog.journal.Journal;
import io.waymark.catalog.journal.JournalEntry;
import io.waymark.catalog.journal.ProjectionError;
import io.waymark.catalog.ops.Metrics;
import jakarta.annotation.PreDestroy;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
    /** While a rebuild replays the journal: the journal position it replays to (0 otherwise). */
    private volatile long replayUntil;
    /** Completes once the replay's derived state has been computed (see {@link #replayed}). */
    private volatile CompletableFuture<Void> replay = CompletableFuture.completedFuture(null);
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
    /** Events set aside: counted again after every change of projection_error, so /health and /metrics need no query. */
    private volatile long errors;
    private volatile String stalled;
    private final BatchCommits commits;
    private final DiskSpace disk;
    private final ProjectionWaits waits = new ProjectionWaits();
    private final Leadership leadership;
    private final Follower follower;
    /** Whether this replica projected in its last round; a change to true is a take-over. */
    private boolean leading;

    public Projector(Journal journal, Driver driver, Metrics metrics, WaymarkConfig config, List<GraphChangeListener> listeners, Visibility visibility,
                     DiskSpace disk, Leadership leadership) {
        this.disk = disk;
        this.leadership = leadership;
        this.commits = new BatchCommits(driver, listeners, visibility, () -> running, () -> replayUntil > 0);
        this.journal = journal;
        this.listeners = listeners;
        this.driver = driver;
        this.metrics = metrics;
        this.batchSize = config.getProjectorBatchSize();
        this.lingerNanos = TimeUnit.MILLISECONDS.toNanos(config.getProjectorLingerMillis());
        this.watermark = journal.read(dao -> dao.watermark(NAME).orElse(0L));
        journal.onCommit(this::wake);
        disk.backlog(journal.read(dao -> dao.bytesAfter(watermark)));
        metrics.gauge("waymark_projection_lag_events", "Journal events not yet applied to the graph",
                () -> Math.max(0, journal.read(dao -> dao.maxId()) - watermark));
        this.errors = journal.read(dao -> dao.errorCount());
        metrics.gauge("waymark_projection_errors_pending", "Journal events set aside because they cannot be applied to the graph (GET /api/v1/projection/errors)",
                this::errorCount);
        this.follower = new Follower(journal, driver, listeners, visibility, projection, NAME, batchSize);
        // Replicas share the graph: only the leader checks, rebuilds or fills it in; a follower only reads it.
        this.leading = leadership.isLeader();
        if (config.isProjectorEnabled() && leading) {
            String stale = GraphStamp.staleReason(driver, watermark);
            if (stale != null) {
                LOG.warn("{}: rebuilding it from the journal ({} events)", stale, watermark);
                beginReplay();
            } else {
                GraphStamp.write(driver);
            }
            DerivedState.backfill(driver);
        }
        if (config.isProjectorEnabled()) {
            ProjectionWarmup.run(driver, projection);
        }
        resetListeners();
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

    /** How many events are set aside (kept in the journal database, so counted across restarts); read without a query. */
    public long errorCount() {
        return errors;
    }

    private void countErrors() {
        errors = journal.read(dao -> dao.errorCount());
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

    /**
     * Empties the graph and replays the whole journal into it. When a replay is already under way
     * (start-up found the graph store empty or stale, as after {@code rebuild} discarded the embedded
     * store) it waits for that one instead of starting over: it ends in the same graph.
     */
    public void rebuild() throws InterruptedException {
        paused = true;
        stepLock.lock();
        try {
            if (replay.isDone()) {
                beginReplay();
                resetListeners();
            }
        } finally {
            paused = false;
            stepLock.unlock();
        }
        if (awaitCaughtUp(Duration.ofHours(6))) {
            // The graph is whole only once the labels derived from all of it are written.
            try {
                replay.get(6, TimeUnit.HOURS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("deriving state after the rebuild failed", e);
            }
        }
    }

    /** Empties the graph and replays the journal into it from here on: only the views follow each batch until {@link #replayed}. */
    private void beginReplay() {
        reset();
        replay = new CompletableFuture<>();
        replayUntil = journal.read(dao -> dao.maxId());
        if (replayUntil == 0) {
            replay.complete(null);
        }
    }

    /** Empties the graph and moves the watermark to the journal's start; the stamp comes last, so a crash in between repeats this. */
    private void reset() {
        journal.read(dao -> {
            dao.setWatermark(NAME, 0, Instant.now().toString());
            dao.clearErrors();
            return null;
        });
        errors = 0;
        watermark = 0;
        disk.backlog(journal.read(dao -> dao.bytesAfter(0)));
        // Before the delete: element ids of deleted edges are reused by Neo4j.
        commits.graphEmptied();
        try (Session session = driver.session()) {
            session.run("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume();
        }
        GraphStamp.write(driver);
    }

    /**
     * Starts the listeners over on the graph as it now is: the views always; the others
     * (propagation, compliance, Ranger's tags) on the leader only, and not while a replay runs,
     * whose end resets them once ({@link #replayed}).
     */
    private void resetListeners() {
        listeners.stream().filter(l -> l.view() || leading && replayUntil == 0).forEach(GraphChangeListener::reset);
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
        long backoff = 0;
        while (running) {
            try {
                String shortage = disk.projectionShortage();
                if (shortage != null) {
                    // Neo4j cannot recover a store whose disk filled up mid-write: wait, the events keep.
                    String reason = "waiting for disk space: " + shortage;
                    if (!reason.equals(stalled)) {
                        LOG.warn("projection paused, {}", reason);
                    }
                    stalled = reason;
                    if (!sleep(1000)) {
                        return;
                    }
                    continue;
                }
                if (!leadership.isLeader()) {
                    leading = false;
                    long followed = follower.follow(watermark);
                    if (followed != watermark) {
                        passed(followed);
                        continue;
                    }
                    if (!sleep(200)) {
                        return;
                    }
                    continue;
                }
                if (!leading) {
                    takeOver();
                }
                commits.resetFailedListeners();
                int applied = paused ? 0 : step();
                if (replayUntil > 0 && watermark >= replayUntil) {
                    replayed();
                }
                if (stalled != null) {
                    LOG.info("projection resumed after: {}", stalled);
                    stalled = null;
                }
                backoff = 0;
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
                    } else if (applied == 0 && !urgent && running) {
                        work.await(500, TimeUnit.MILLISECONDS);
                    }
                    urgent = false;
                } finally {
                    lock.unlock();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    // Shutting down: the batch is abandoned, its events stay after the watermark.
                    return;
                }
                // Not the events' fault: keep the watermark and try the same batch again.
                String message = Failures.message(e);
                if (stalled == null) {
                    LOG.warn("projection paused after {}; retrying (the watermark stays at {})", message, watermark, e);
                }
                stalled = message;
                backoff = Math.min(30_000, Math.max(500, backoff * 2));
                if (!sleep(backoff)) {
                    return;
                }
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
            for (int i = 0; i <= entries.size() && running; i++) {
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
        if (entries.isEmpty() || !running) {
            return;
        }
        try {
            write(entries);
            advance(entries.get(entries.size() - 1).id());
            disk.projected(entries.stream().mapToLong(e -> e.payload() == null ? 0 : e.payload().length()).sum());
        } catch (RuntimeException batchFailure) {
            if (!running || !Failures.causedByEvent(batchFailure)) {
                throw batchFailure;
            }
            // Something in the batch cannot be applied: apply the entries one by one and set
            // aside only an entry that fails on its own for a reason of its own.
            for (JournalEntry entry : entries) {
                try {
                    write(List.of(entry));
                } catch (RuntimeException e) {
                    if (!running || !Failures.causedByEvent(e)) {
                        throw e;
                    }
                    LOG.error("journal event {} cannot be projected; set aside in projection_error (GET /api/v1/projection/errors)", entry.id(), e);
                    setAside(entry.id(), e);
                    metrics.projectionError();
                }
                advance(entry.id());
            }
        }
    }

    /** Writes the entries in one graph transaction and tells the listeners; does not move the watermark. */
    private void write(List<JournalEntry> entries) {
        ProjectionBatch batch = new ProjectionBatch();
        for (JournalEntry entry : entries) {
            try {
                projection.add(entry, batch);
            } catch (Exception e) {
                throw new Failures.UnreadableEvent(entry.id(), e);
            }
        }
        commits.commit(batch, entries.size());
    }

    /**
     * Applies the set-aside events again, each on its own and in journal order, and forgets the
     * ones that now apply (after a fix of the graph or of Waymark). Events after them have been
     * applied already, so a newer fact is not overwritten by an older one only where the writes
     * compare event times; {@code rebuild} replays everything in order.
     */
    public RetryResult retryErrors() {
        stepLock.lock();
        try {
            List<ProjectionError> errors = journal.read(dao -> dao.errors(Integer.MAX_VALUE, 0));
            int projected = 0;
            for (ProjectionError error : errors) {
                JournalEntry entry = journal.read(dao -> dao.entry(error.eventId())).orElse(null);
                try {
                    if (entry != null) {
                        write(List.of(entry));
                    }
                    journal.read(dao -> {
                        dao.deleteError(error.eventId());
                        return null;
                    });
                    projected++;
                } catch (RuntimeException e) {
                    if (!Failures.causedByEvent(e)) {
                        throw e;
                    }
                    setAside(error.eventId(), e);
                }
            }
            return new RetryResult(errors.size(), projected, errors.size() - projected);
        } finally {
            countErrors();
            stepLock.unlock();
        }
    }

    private void setAside(long eventId, RuntimeException why) {
        journal.read(dao -> {
            dao.recordError(eventId, Instant.now().toString(), Failures.message(why));
            return null;
        });
        countErrors();
    }

    /** The outcome of {@link #retryErrors()}. */
    public record RetryResult(int retried, int projected, int stillFailing) {}

    /** Why projection is not moving, while it retries a failure that is not an event's fault; null when it moves. */
    public String stalled() {
        return stalled;
    }

    /**
     * A rebuild has replayed the journal as it stood when it began. What the other listeners derive
     * (propagated labels, findings, Ranger's tags) is a function of the whole graph and is computed
     * once now: per batch, on a graph still half built, it cost a fifth of every batch on new lineage
     * and compared findings against facts not yet replayed.
     */
    private void replayed() {
        LOG.info("replayed the journal up to event {}; deriving labels, findings and tags from the whole graph", replayUntil);
        replayUntil = 0;
        RuntimeException failed = null;
        for (GraphChangeListener listener : listeners.stream().filter(l -> !l.view()).toList()) {
            try {
                listener.reset();
            } catch (RuntimeException e) {
                // Tried again before the next batch, as after a listener that failed on a batch.
                commits.resetLater(listener);
                failed = e;
            }
        }
        if (failed == null) {
            replay.complete(null);
        } else {
            replay.completeExceptionally(failed);
        }
    }

    /** The leader's step: the shared watermark first (followers and a next leader read it), then this process's. */
    private void advance(long id) {
        journal.read(dao -> {
            dao.setWatermark(NAME, id, Instant.now().toString());
            return null;
        });
        passed(id);
    }

    /** The graph and this process's views hold everything up to {@code id}: reads waiting for it may go. */
    private void passed(long id) {
        watermark = id;
        waits.passed(id);
        lock.lock();
        try {
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * This replica now leads: its views first catch up with everything the previous leader
     * projected, then projection goes on from the shared watermark. What the previous leader's
     * listeners derived (propagated labels, findings, Ranger's tags) is recomputed whole, since it
     * may have died between a batch and its listeners; the write cache may name edges another
     * leader has changed since.
     */
    private void takeOver() {
        long shared = follower.leaderWatermark();
        while (watermark < shared && running) {
            passed(follower.follow(watermark));
        }
        watermark = shared;
        commits.graphEmptied();
        listeners.stream().filter(l -> !l.view()).forEach(GraphChangeListener::reset);
        leading = true;
        LOG.info("projecting from journal event {} as the leader", shared);
    }

    /**
     * Completes with true once projection has passed {@code position} (the graph and the
     * in-memory views hold every event up to it), or with false after {@code timeout}.
     */
    public CompletableFuture<Boolean> whenProjected(long position, Duration timeout) {
        CompletableFuture<Boolean> done = waits.add(position, watermark, timeout);
        // The watermark may have passed between the check and the add.
        waits.passed(watermark);
        if (!done.isDone() && lock.tryLock()) {
            try {
                urgent = true;
                work.signalAll();
            } finally {
                lock.unlock();
            }
        }
        return done;
    }

    /** Waits between retries; false when the projector was stopped meanwhile. */
    private boolean sleep(long millis) {
        lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (running && System.nanoTime() < deadline) {
                work.awaitNanos(deadline - System.nanoTime());
            }
            return running;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops after the batch in progress: its graph transaction commits and the watermark moves,
     * or, when it does not finish in time, the thread is interrupted and the batch is abandoned
     * with its events still after the watermark. Either way nothing is set aside.
     */
    @PreDestroy
    @Override
    public void close() {
        running = false;
        lock.lock();
        try {
            work.signalAll();
            progress.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(20_000);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
