package io.waymark.catalog.lineage;

import io.waymark.catalog.config.WaymarkConfig;
import io.waymark.catalog.projection.GraphChange;
import io.waymark.catalog.projection.GraphChangeListener;
import jakarta.inject.Singleton;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.TransactionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The current job-dataset lineage (the READS/WRITES edges) held in memory, so a deep walk costs
 * microseconds per hop instead of a query per hop; only the nodes found are then read from
 * Neo4j. Neo4j stays the source of truth: the projector hands over the jobs and datasets each
 * batch touched, and their edges and deleted flags are read back from the graph after the commit.
 * About 100 bytes per edge: a graph of 10 million edges needs about 1 GB of heap, so the index
 * can be switched off ({@code waymark.lineage-index=false}) to walk the graph in Cypher instead.
 */
@Singleton
public class LineageIndex implements GraphChangeListener {
    private static final Logger LOG = LoggerFactory.getLogger(LineageIndex.class);
    private static final String ALL_EDGES = """
            MATCH (j:Job)-[e:READS|WRITES]->(d:Dataset)
            RETURN j.key AS job, type(e) = 'WRITES' AS writes, d.key AS dataset, e.firstSeen AS firstSeen""";
    private static final String JOB_EDGES = """
            UNWIND $keys AS k
            MATCH (j:Job {key: k})-[e:READS|WRITES]->(d:Dataset)
            RETURN j.key AS job, type(e) = 'WRITES' AS writes, d.key AS dataset, e.firstSeen AS firstSeen""";
    private static final String DELETED = """
            CALL () { MATCH (d:Dataset) WHERE d.deleted RETURN d.key AS key, d.deletedAt AS at
                      UNION ALL MATCH (j:Job) WHERE j.deleted RETURN j.key AS key, j.deletedAt AS at }
            RETURN key, at""";
    private static final String DELETED_OF = """
            UNWIND $keys AS k
            CALL (k) { MATCH (d:Dataset {key: k}) RETURN d.deleted AS deleted, d.deletedAt AS at
                       UNION ALL MATCH (j:Job {key: k}) RETURN j.deleted AS deleted, j.deletedAt AS at }
            RETURN k AS key, coalesce(deleted, false) AS deleted, at""";

    /** An edge as seen from one end: the node at the other end and when the edge first existed. */
    public record Link(String other, ZonedDateTime firstSeen) {}

    private final Driver driver;
    private final boolean enabled;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, List<Link>> writersOf = new HashMap<>();
    private final Map<String, List<Link>> readersOf = new HashMap<>();
    private final Map<String, List<Link>> readsOf = new HashMap<>();
    private final Map<String, List<Link>> writesOf = new HashMap<>();
    private final Map<String, ZonedDateTime> deleted = new HashMap<>();
    private volatile boolean loaded;

    public LineageIndex(Driver driver, WaymarkConfig config) {
        this.driver = driver;
        this.enabled = config.isLineageIndex();
    }

    public boolean enabled() {
        return enabled;
    }

    /** Reads every current edge: at start-up and after a rebuild. */
    @Override
    public void reset() {
        if (!enabled) {
            return;
        }
        long started = System.nanoTime();
        try (Session session = driver.session()) {
            List<Edge> edges = session.executeRead(tx -> {
                List<Edge> all = new ArrayList<>();
                tx.run(ALL_EDGES).forEachRemaining(r -> all.add(edge(r)));
                return all;
            });
            List<Record> gone = session.executeRead(tx -> tx.run(DELETED).list());
            lock.writeLock().lock();
            try {
                writersOf.clear();
                readersOf.clear();
                readsOf.clear();
                writesOf.clear();
                deleted.clear();
                edges.forEach(this::add);
                gone.forEach(r -> deleted.put(r.get("key").asString(), time(r.get("at").asObject())));
                loaded = true;
            } finally {
                lock.writeLock().unlock();
            }
            LOG.info("lineage index loaded: {} edges in {} ms", edges.size(), (System.nanoTime() - started) / 1_000_000);
        }
    }

    /**
     * Reads the edges of the batch's jobs and the deleted state of its nodes inside the batch's
     * transaction; what differs from the index is applied at the commit's switch.
     */
    @Override
    public boolean view() {
        return true;
    }

    @Override
    public Runnable prepare(TransactionContext tx, GraphChange change) {
        Set<String> jobs = change.jobs();
        Set<String> nodes = change.nodes();
        if (!enabled || !loaded || (jobs.isEmpty() && nodes.isEmpty())) {
            return () -> { };
        }
        // Only what differs from the index is made: a job's edges that are already there keep their
        // links. Remade whole, the second run of a job with 114,000 inputs put 114,000 new links (with
        // their keys and times) in the index at once: about 60 MB that young collections then copied,
        // pause after pause, until it was old enough to be tenured (60-90 ms each, for seconds).
        Map<String, JobEdges> changed = new HashMap<>();
        jobs.forEach(job -> changed.put(job, new JobEdges(job)));
        Map<ZonedDateTime, ZonedDateTime> times = new HashMap<>();
        lock.readLock().lock();
        try {
            // The projector is the index's only writer and applies this before its next batch: what
            // is read here is still the index when the change is applied.
            tx.run(JOB_EDGES, Map.of("keys", List.copyOf(jobs))).forEachRemaining(r -> {
                JobEdges edges = changed.get(r.get("job").asString());
                boolean writes = r.get("writes").asBoolean();
                Side side = writes ? edges.writes() : edges.reads();
                if (side.unseen == null) {
                    side.unseen = byOther((writes ? writesOf : readsOf).getOrDefault(edges.job(), List.of()), side.gone);
                }
                String dataset = r.get("dataset").asString();
                ZonedDateTime firstSeen = time(r.get("firstSeen").asObject());
                Link had = side.unseen.remove(dataset);
                if (had == null || !Objects.equals(had.firstSeen(), firstSeen)) {
                    if (had != null) {
                        side.gone.add(had);
                    }
                    // Links made in one batch mostly share their first-seen time: one object for each.
                    side.added.add(new Link(dataset, firstSeen == null ? null : times.computeIfAbsent(firstSeen, t -> t)));
                }
            });
            for (JobEdges edges : changed.values()) {
                // Links not seen again are gone: all of them when no edge of that kind came back.
                edges.reads().close(readsOf.getOrDefault(edges.job(), List.of()));
                edges.writes().close(writesOf.getOrDefault(edges.job(), List.of()));
            }
        } finally {
            lock.readLock().unlock();
        }
        Map<String, ZonedDateTime> nowDeleted = new HashMap<>();
        tx.run(DELETED_OF, Map.of("keys", List.copyOf(nodes))).forEachRemaining(r -> {
            if (r.get("deleted").asBoolean()) {
                nowDeleted.put(r.get("key").asString(), time(r.get("at").asObject()));
            }
        });
        return () -> {
            lock.writeLock().lock();
            try {
                changed.values().forEach(this::apply);
                for (String node : nodes) {
                    if (nowDeleted.containsKey(node)) {
                        deleted.put(node, nowDeleted.get(node)); // a time, or null when none was recorded
                    } else {
                        deleted.remove(node);
                    }
                }
            } finally {
                lock.writeLock().unlock();
            }
        };
    }

    /** One direction of a job's edges as a batch changes it: the index's links not seen again, those gone, those added. */
    private static final class Side {
        private Map<String, Link> unseen;
        private final List<Link> gone = new ArrayList<>();
        private final List<Link> added = new ArrayList<>();

        /** After the job's edges were read: what was not seen again is gone. */
        void close(List<Link> had) {
            gone.addAll(unseen != null ? unseen.values() : had);
            unseen = null;
        }
    }

    /** What a batch changed in one job's edges, seen from the job. */
    private record JobEdges(String job, Side reads, Side writes) {
        JobEdges(String job) {
            this(job, new Side(), new Side());
        }
    }

    /**
     * A job's links of one direction by the dataset at their other end. Links to a dataset that
     * appears twice (the projector's MERGE makes one edge per pair) are all put in {@code gone},
     * so the graph's edges to it are made again.
     */
    private static Map<String, Link> byOther(List<Link> links, List<Link> gone) {
        Map<String, Link> byOther = new HashMap<>(links.size() * 4 / 3 + 1);
        Set<String> twice = new HashSet<>();
        for (Link l : links) {
            if (byOther.putIfAbsent(l.other(), l) != null) {
                twice.add(l.other());
            }
        }
        if (!twice.isEmpty()) {
            links.stream().filter(l -> twice.contains(l.other())).forEach(gone::add);
            byOther.keySet().removeAll(twice);
        }
        return byOther;
    }

    /** Under the write lock. */
    private void apply(JobEdges edges) {
        String job = edges.job();
        change(job, edges.reads().gone, edges.reads().added, readsOf, readersOf);
        change(job, edges.writes().gone, edges.writes().added, writesOf, writersOf);
    }

    private static void change(String job, List<Link> gone, List<Link> added, Map<String, List<Link>> forward, Map<String, List<Link>> reverse) {
        if (!gone.isEmpty()) {
            Set<Link> removed = Collections.newSetFromMap(new IdentityHashMap<>());
            removed.addAll(gone);
            List<Link> links = forward.get(job);
            if (links != null) {
                links.removeIf(removed::contains);
                if (links.isEmpty()) {
                    forward.remove(job);
                }
            }
            for (Link link : gone) {
                List<Link> back = reverse.get(link.other());
                if (back != null) {
                    back.removeIf(l -> l.other().equals(job));
                    if (back.isEmpty()) {
                        reverse.remove(link.other());
                    }
                }
            }
        }
        added.forEach(link -> link(job, link, forward, reverse));
    }

    /**
     * The neighbours one hop away, upstream or downstream, visible at {@code asOf} (null: now),
     * sorted by key, at most {@code limit}.
     */
    public List<String> neighbours(String key, boolean dataset, boolean upstream, ZonedDateTime asOf, int limit) {
        List<String> result = visible(key, dataset, upstream, asOf);
        result.sort(String::compareTo);
        return result.size() > limit ? result.subList(0, limit) : result;
    }

    /** How many neighbours one hop away are visible at {@code asOf}, all of them (no cap). */
    public int count(String key, boolean dataset, boolean upstream, ZonedDateTime asOf) {
        lock.readLock().lock();
        try {
            List<Link> links = side(dataset, upstream).getOrDefault(key, List.of());
            if (asOf == null && deleted.isEmpty()) {
                // The common case, asked for every node of every answer: nothing to filter.
                return links.size();
            }
            int count = 0;
            for (Link link : links) {
                if (visible(link, asOf)) {
                    count++;
                }
            }
            return count;
        } finally {
            lock.readLock().unlock();
        }
    }

    private List<String> visible(String key, boolean dataset, boolean upstream, ZonedDateTime asOf) {
        lock.readLock().lock();
        try {
            List<Link> links = side(dataset, upstream).getOrDefault(key, List.of());
            List<String> result = new ArrayList<>(links.size());
            for (Link link : links) {
                if (visible(link, asOf)) {
                    result.add(link.other());
                }
            }
            return result;
        } finally {
            lock.readLock().unlock();
        }
    }

    private Map<String, List<Link>> side(boolean dataset, boolean upstream) {
        return dataset ? (upstream ? writersOf : readersOf) : (upstream ? readsOf : writesOf);
    }

    /** Seen by {@code asOf} (null: now) and its other end not deleted by then. Under the read lock. */
    private boolean visible(Link link, ZonedDateTime asOf) {
        if (asOf != null && (link.firstSeen() == null || link.firstSeen().isAfter(asOf))) {
            return false;
        }
        if (deleted.isEmpty()) {
            return true;
        }
        ZonedDateTime gone = deleted.get(link.other());
        return !deleted.containsKey(link.other()) || (asOf != null && gone != null && gone.isAfter(asOf));
    }

    public boolean ready() {
        return enabled && loaded;
    }

    /** A current edge between a job and a dataset, as the index adds it. */
    private record Edge(String job, String dataset, boolean writes, ZonedDateTime firstSeen) {}

    private static Edge edge(Record r) {
        return new Edge(r.get("job").asString(), r.get("dataset").asString(), r.get("writes").asBoolean(), time(r.get("firstSeen").asObject()));
    }

    private void add(Edge e) {
        Link toDataset = new Link(e.dataset(), e.firstSeen());
        if (e.writes()) {
            link(e.job(), toDataset, writesOf, writersOf);
        } else {
            link(e.job(), toDataset, readsOf, readersOf);
        }
    }

    /** Adds a job's link to a dataset, and the dataset's link back to the job. */
    private static void link(String job, Link toDataset, Map<String, List<Link>> forward, Map<String, List<Link>> reverse) {
        forward.computeIfAbsent(job, k -> new ArrayList<>()).add(toDataset);
        reverse.computeIfAbsent(toDataset.other(), k -> new ArrayList<>()).add(new Link(job, toDataset.firstSeen()));
    }

    private static ZonedDateTime time(Object value) {
        return value instanceof ZonedDateTime t ? t : null;
    }
}
