package io.waymark.catalog.projection;

import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * One projection batch into the graph: its transaction, the switch of the in-memory views with its
 * commit ({@link Visibility}), and then the listeners that derive from it (propagation, compliance,
 * Ranger). A listener that fails is reloaded from the graph before the next batch instead of
 * failing the batch, which the graph already holds.
 */
final class BatchCommits {
    private static final Logger LOG = LoggerFactory.getLogger(BatchCommits.class);

    private final Driver driver;
    private final List<GraphChangeListener> listeners;
    private final Visibility visibility;
    private final BooleanSupplier running;
    private final Set<GraphChangeListener> failedListeners = ConcurrentHashMap.newKeySet();
    /** What the graph holds of column lineage and schemas (see WriteCache); about 200 bytes an edge. */
    private final WriteCache written = new WriteCache(250_000);

    /** True while a rebuild replays the journal: the listeners that are not views are reset once at its end instead. */
    private final BooleanSupplier replaying;

    BatchCommits(Driver driver, List<GraphChangeListener> listeners, Visibility visibility, BooleanSupplier running, BooleanSupplier replaying) {
        this.replaying = replaying;
        this.driver = driver;
        this.listeners = listeners;
        this.visibility = visibility;
        this.running = running;
    }

    /** Writes the batch in one transaction, switches the views with its commit, then tells the other listeners. */
    void commit(ProjectionBatch batch, int entries) {
        long started = System.nanoTime();
        StringBuilder statements = LOG.isDebugEnabled() ? new StringBuilder() : null;
        long[] statementsEnd = new long[1];
        GraphChange change;
        List<Runnable> switches = new ArrayList<>();
        try (Session session = driver.session()) {
            WriteAhead.Ahead ahead = WriteAhead.write(session, batch);
            change = session.executeWrite(tx -> {
                // A retried transaction (its commit failed) lets readers go while its statements run again.
                visibility.endSwitch();
                StatementTimings.start(statements);
                GraphChange c;
                // A retried transaction function starts from what the graph held before it.
                written.discard();
                try {
                    c = batch.change(GraphWriter.write(tx, batch, written, ahead));
                } finally {
                    StatementTimings.stop();
                }
                switches.clear();
                for (GraphChangeListener listener : listeners) {
                    Runnable view = listener.prepare(tx, c);
                    if (view != null) {
                        switches.add(view);
                    }
                }
                // The commit follows when this function returns: readers wait from here until the views switched too.
                visibility.beginSwitch();
                statementsEnd[0] = System.nanoTime();
                return c;
            });
            if (statements != null) {
                statements.append("\n    ").append((System.nanoTime() - statementsEnd[0]) / 1_000_000).append(" ms commit");
            }
            written.commit();
            switches.forEach(Runnable::run);
        } finally {
            written.discard();
            visibility.endSwitch();
        }
        long committed = System.nanoTime();
        StringBuilder timings = LOG.isDebugEnabled() ? new StringBuilder() : null;
        boolean replay = replaying.getAsBoolean();
        for (GraphChangeListener listener : listeners) {
            if (!(replay && !listener.view())) {
                notify(listener, change, timings);
            }
        }
        if (timings != null) {
            LOG.debug("batch of {} entries: graph {} ms, listeners:{}{}", entries, (committed - started) / 1_000_000, timings, statements);
        }
    }

    private void notify(GraphChangeListener listener, GraphChange change, StringBuilder timings) {
        try {
            long before = System.nanoTime();
            listener.changed(change);
            if (timings != null) {
                timings.append(' ').append(listener.getClass().getSimpleName()).append(' ').append((System.nanoTime() - before) / 1_000_000).append(" ms");
            }
        } catch (RuntimeException e) {
            // The graph holds the batch; only this listener's view of it is behind. It is
            // rebuilt from the graph before the next batch, so the batch need not be redone.
            if (running.getAsBoolean()) {
                LOG.warn("{} failed on a projected batch; it reloads from the graph", listener.getClass().getSimpleName(), e);
                failedListeners.add(listener);
            }
        }
    }

    /** The graph was emptied: no edge the cache names exists any more. */
    void graphEmptied() {
        written.clear();
    }

    /** A listener whose reset failed: it is reset again before the next batch. */
    void resetLater(GraphChangeListener listener) {
        failedListeners.add(listener);
    }

    void resetFailedListeners() {
        for (GraphChangeListener listener : List.copyOf(failedListeners)) {
            listener.reset();
            failedListeners.remove(listener);
        }
    }
}
