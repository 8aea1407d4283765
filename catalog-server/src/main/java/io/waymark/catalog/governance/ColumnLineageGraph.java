package io.waymark.catalog.governance;

import io.waymark.policy.propagation.Propagation;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every field-to-field DERIVES_FROM edge, held in memory by input field for the propagation walk.
 * Walking the graph hop by hop over Bolt cost about 60 µs per edge (10.5 s of a 12.8 s
 * propagation on the 21,601-dataset benchmark graph, 173,432 edges reached); a label change walks
 * this map instead. It is read whole once (at start-up and after a rebuild); after that only the
 * incoming edges of the output fields a projection batch gave new or changed edges are read
 * again (only the projector writes these edges, and it names those fields in {@code GraphChange}).
 * Field keys are shared between edges, so a key is held once however many edges name it.
 */
final class ColumnLineageGraph {
    private static final String ALL = """
            MATCH (o:Field)-[e:DERIVES_FROM]->(i:Field)
            RETURN o.key AS out, i.key AS in, e.type AS type, e.subtype AS subtype, coalesce(e.masking, false) AS masking, e.job AS job""";
    private static final String INTO = """
            UNWIND $keys AS k
            MATCH (o:Field {key: k})-[e:DERIVES_FROM]->(i:Field)
            RETURN o.key AS out, i.key AS in, e.type AS type, e.subtype AS subtype, coalesce(e.masking, false) AS masking, e.job AS job""";
    /** The order the Cypher walk gave (out, in, type, subtype, job), so results never depend on read order. */
    private static final Comparator<Propagation.Edge> ORDER = Comparator.comparing(Propagation.Edge::out)
            .thenComparing(Propagation.Edge::in)
            .thenComparing(Propagation.Edge::type, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Propagation.Edge::subtype, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Propagation.Edge::job, Comparator.nullsFirst(Comparator.naturalOrder()));

    private final Map<String, List<Propagation.Edge>> downstream = new HashMap<>();
    private final Map<String, List<Propagation.Edge>> upstream = new HashMap<>();
    private final Map<String, String> strings = new HashMap<>();
    private final Set<String> pending = new LinkedHashSet<>();
    private boolean stale = true;
    private int edges;

    /** Everything may have changed (start-up, rebuild): the next walk reads all edges. */
    synchronized void invalidate() {
        stale = true;
        pending.clear();
    }

    /** These output fields gained or changed edges: the next walk re-reads their incoming edges. */
    synchronized void changed(Set<String> outputs) {
        if (!stale) {
            pending.addAll(outputs);
        }
    }

    /** Brings the map up to date; returns how long reading took in ms (0 when nothing was read). */
    synchronized long refresh(Session session) {
        if (!stale && pending.isEmpty()) {
            return 0;
        }
        long started = System.nanoTime();
        if (stale) {
            downstream.clear();
            upstream.clear();
            strings.clear();
            edges = 0;
            session.executeRead(tx -> tx.run(ALL).list()).forEach(this::add);
            downstream.values().forEach(list -> list.sort(ORDER));
            stale = false;
        } else {
            List<String> outputs = List.copyOf(pending);
            for (String out : outputs) {
                for (Propagation.Edge e : upstream.getOrDefault(out, List.of())) {
                    downstream.get(e.in()).remove(e);
                    edges--;
                }
                upstream.remove(out);
            }
            Set<String> touched = new LinkedHashSet<>();
            for (Record r : session.executeRead(tx -> tx.run(INTO, Map.of("keys", outputs)).list())) {
                touched.add(add(r).in());
            }
            touched.forEach(in -> downstream.get(in).sort(ORDER));
        }
        pending.clear();
        return (System.nanoTime() - started) / 1_000_000;
    }

    /**
     * Every edge reached breadth first downstream of the start fields, at most {@code maxHops}
     * hops, each edge once, in the order the walk meets them (per field: out, in, type, subtype, job).
     */
    synchronized List<Propagation.Edge> walk(Collection<String> start, int maxHops) {
        List<Propagation.Edge> reached = new ArrayList<>();
        breadthFirst(downstream, start, maxHops, Propagation.Edge::out, reached);
        return reached;
    }

    /** The start fields and every field downstream of them within {@code maxHops} hops. */
    synchronized Set<String> downstreamOf(Collection<String> start, int maxHops) {
        return breadthFirst(downstream, start, maxHops, Propagation.Edge::out, null);
    }

    /**
     * Every edge on a route of at most {@code maxHops} edges that ends in one of the fields: the
     * incoming edges of each field within {@code maxHops - 1} hops upstream of them. A propagation
     * over these gives those fields what a propagation over the whole graph gives them.
     */
    synchronized List<Propagation.Edge> upstreamOf(Collection<String> fields, int maxHops) {
        List<Propagation.Edge> reached = new ArrayList<>();
        breadthFirst(upstream, fields, maxHops, Propagation.Edge::in, reached);
        return reached;
    }

    /** Fields reached from the start over {@code edges} (by field, followed to {@code next}); each edge crossed goes to {@code reached}. */
    private static Set<String> breadthFirst(Map<String, List<Propagation.Edge>> edges, Collection<String> start, int maxHops,
                                            java.util.function.Function<Propagation.Edge, String> next, List<Propagation.Edge> reached) {
        Set<String> seen = new LinkedHashSet<>(start);
        List<String> frontier = new ArrayList<>(seen);
        for (int hop = 0; hop < maxHops && !frontier.isEmpty(); hop++) {
            List<String> following = new ArrayList<>();
            for (String key : frontier) {
                for (Propagation.Edge e : edges.getOrDefault(key, List.of())) {
                    if (reached != null) {
                        reached.add(e);
                    }
                    if (seen.add(next.apply(e))) {
                        following.add(next.apply(e));
                    }
                }
            }
            frontier = following;
        }
        return seen;
    }

    /** The edges out of these fields (inferred labels look for the rows health columns select). */
    synchronized List<Propagation.Edge> from(Collection<String> fields) {
        List<Propagation.Edge> edges = new ArrayList<>();
        fields.forEach(f -> edges.addAll(downstream.getOrDefault(f, List.of())));
        return edges;
    }

    /** The edges into these fields. */
    synchronized List<Propagation.Edge> into(Collection<String> fields) {
        List<Propagation.Edge> edges = new ArrayList<>();
        fields.forEach(f -> edges.addAll(upstream.getOrDefault(f, List.of())));
        return edges;
    }

    synchronized int size() {
        return edges;
    }

    private Propagation.Edge add(Record r) {
        Propagation.Edge edge = new Propagation.Edge(shared(r.get("out").asString()), shared(r.get("in").asString()),
                shared(r.get("type").asString(null)), shared(r.get("subtype").asString(null)), r.get("masking").asBoolean(),
                shared(r.get("job").asString(null)));
        downstream.computeIfAbsent(edge.in(), k -> new ArrayList<>(2)).add(edge);
        upstream.computeIfAbsent(edge.out(), k -> new ArrayList<>(2)).add(edge);
        edges++;
        return edge;
    }

    private String shared(String s) {
        return s == null ? null : strings.computeIfAbsent(s, k -> k);
    }
}
