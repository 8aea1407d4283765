package io.waymark.catalog.projection;

import io.waymark.catalog.journal.Journal;
import io.waymark.catalog.journal.JournalEntry;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a replica that does not lead does instead of projecting: the leader writes the shared graph
 * and then moves the watermark in the shared journal; a follower reads that watermark and, for the
 * events between its own and the leader's, brings its in-memory views of the graph (the lineage
 * index, the node cache) up to date from the graph, switched at once like a leader's batch
 * ({@link Visibility}). The events tell which jobs and nodes they touch; the views read those back.
 */
final class Follower {
    private static final Logger LOG = LoggerFactory.getLogger(Follower.class);
    /** What the views read for touched keys; the write-side facts of a batch do not matter to them. */
    private static final GraphWriter.Written NOTHING_WRITTEN = new GraphWriter.Written(Set.of(), true, Set.of(), Set.of(), Set.of());

    private final Journal journal;
    private final Driver driver;
    private final List<GraphChangeListener> views;
    private final Visibility visibility;
    private final EventProjection projection;
    private final String name;
    private final int batchSize;

    Follower(Journal journal, Driver driver, List<GraphChangeListener> listeners, Visibility visibility, EventProjection projection, String name,
             int batchSize) {
        this.journal = journal;
        this.driver = driver;
        this.views = listeners.stream().filter(GraphChangeListener::view).toList();
        this.visibility = visibility;
        this.projection = projection;
        this.name = name;
        this.batchSize = batchSize;
    }

    /** The leader's watermark, as it stands in the journal. */
    long leaderWatermark() {
        return journal.read(dao -> dao.watermark(name).orElse(0L));
    }

    /** Brings the views from {@code from} towards the leader's watermark, a batch at most; returns where they now are. */
    long follow(long from) {
        long target = leaderWatermark();
        if (target <= from) {
            return from;
        }
        List<JournalEntry> entries = journal.read(dao -> dao.after(from, batchSize));
        List<JournalEntry> covered = new ArrayList<>();
        ProjectionBatch batch = new ProjectionBatch();
        for (JournalEntry entry : entries) {
            if (entry.id() > target) {
                break;
            }
            covered.add(entry);
            try {
                projection.add(entry, batch);
            } catch (Exception e) {
                // The leader set it aside: nothing of it is in the graph.
                LOG.debug("journal event {} is unreadable; the leader set it aside", entry.id());
            }
        }
        if (covered.isEmpty()) {
            return target;
        }
        GraphChange change = batch.change(NOTHING_WRITTEN);
        List<Runnable> switches = new ArrayList<>();
        try (Session session = driver.session()) {
            session.executeRead(tx -> {
                switches.clear();
                for (GraphChangeListener view : views) {
                    Runnable s = view.prepare(tx, change);
                    if (s != null) {
                        switches.add(s);
                    }
                }
                return null;
            });
        }
        visibility.beginSwitch();
        try {
            switches.forEach(Runnable::run);
        } finally {
            visibility.endSwitch();
        }
        // Up to the leader's watermark when this page reached it: later ids may be events the leader has not projected yet.
        return covered.size() == entries.size() && entries.size() < batchSize ? target : covered.get(covered.size() - 1).id();
    }
}
