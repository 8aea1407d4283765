package io.waymark.catalog.projection;

import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;

import java.util.Map;

/**
 * The mark a graph carries of how it was built: one {@code WaymarkGraph} node with the version of
 * the key scheme. A graph without it (a deleted or replaced graph store, or one built before keys
 * were escaped, where two datasets could share a node) is not what the journal's watermark says it
 * is, so the projector rebuilds it from the journal before it serves.
 */
final class GraphStamp {
    /**
     * 2: the parts of a key after the namespace are escaped ({@code NodeId}); 3: fields are
     * classified on arrival (a graph built before has none of those labels, so it is rebuilt); 4:
     * read edges carry the row count of a dataQualityMetrics facet (the monitor's row-count history).
     */
    static final int KEY_SCHEME = 4;
    private static final String READ = "OPTIONAL MATCH (g:WaymarkGraph) RETURN max(g.keyScheme) AS scheme, EXISTS { MATCH (n) WHERE NOT n:WaymarkGraph } AS used";
    private static final String WRITE = "MERGE (g:WaymarkGraph {id: 'graph'}) SET g.keyScheme = $scheme";

    private GraphStamp() {}

    /** Why the graph must be rebuilt, or null when it is current (or empty with nothing to replay). */
    static String staleReason(Driver driver, long watermark) {
        try (Session session = driver.session()) {
            var r = session.executeRead(tx -> tx.run(READ).single());
            int scheme = r.get("scheme").isNull() ? 0 : r.get("scheme").asInt();
            if (scheme == KEY_SCHEME) {
                return null;
            }
            if (scheme == 0 && !r.get("used").asBoolean()) {
                return watermark > 0 ? "the graph store is empty but the journal has been projected up to event " + watermark : null;
            }
            return scheme == 0 ? "the graph carries no key-scheme stamp (built by an older Waymark)"
                    : "the graph was built with scheme " + scheme + " (this Waymark builds scheme " + KEY_SCHEME + ")";
        }
    }

    static void write(Driver driver) {
        try (Session session = driver.session()) {
            session.executeWrite(tx -> tx.run(WRITE, Map.of("scheme", KEY_SCHEME)).consume());
        }
    }
}
