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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
     * transaction; they replace the index's at the commit's switch.
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
        // Each record is made an edge as it arrives, not listed first: a huge job's 114,000 records
        // (about 100 MB with the deleted states) outlived young collections while being listed, and
        // once the list was dead in the old generation its young records were copied pause after pause.
        List<Edge> edges = new ArrayList<>();
        tx.run(JOB_EDGES, Map.of("keys", List.copyOf(jobs))).forEachRemaining(r -> edges.add(edge(r)));
        Map<String, ZonedDateTime> nowDeleted = new HashMap<>();
        tx.run(DELETED_OF, Map.of("keys", List.copyOf(nodes))).forEachRemaining(r -> {
            if (r.get("deleted").asBoolean()) {
                nowDeleted.put(r.get("key").asString(), time(r.get("at").asObject()));
            }
        });
        return () -> {
            lock.writeLock().lock();
            try {
                for (String job : jobs) {
                    unlink(job, readsOf.remove(job), readersOf);
                    unlink(job, writesOf.remove(job), writersOf);
                }
                edges.forEach(this::add);
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
        if (e.writes()) {
            writesOf.computeIfAbsent(e.job(), k -> new ArrayList<>()).add(new Link(e.dataset(), e.firstSeen()));
            writersOf.computeIfAbsent(e.dataset(), k -> new ArrayList<>()).add(new Link(e.job(), e.firstSeen()));
        } else {
            readsOf.computeIfAbsent(e.job(), k -> new ArrayList<>()).add(new Link(e.dataset(), e.firstSeen()));
            readersOf.computeIfAbsent(e.dataset(), k -> new ArrayList<>()).add(new Link(e.job(), e.firstSeen()));
        }
    }

    private static void unlink(String job, List<Link> links, Map<String, List<Link>> reverse) {
        if (links == null) {
            return;
        }
        for (Link link : links) {
            List<Link> back = reverse.get(link.other());
            if (back != null) {
                back.removeIf(l -> l.other().equals(job));
                if (back.isEmpty()) {
                    reverse.remove(link.other());
                }
            }
        }
    }

    private static ZonedDateTime time(Object value) {
        return value instanceof ZonedDateTime t ? t : null;
    }
}
