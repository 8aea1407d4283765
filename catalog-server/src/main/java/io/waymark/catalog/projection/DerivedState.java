package io.waymark.catalog.projection;

import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.TransactionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Graph state derived from the current job edges and runs, kept so rules can ask cheap
 * questions: FEEDS edges between datasets and each job's latest finished run. Updated for the
 * jobs every batch touches; a graph projected before a piece existed is filled in at start-up.
 */
public final class DerivedState {
    private static final Logger LOG = LoggerFactory.getLogger(DerivedState.class);

    /** For a job j's input a and output b: their FEEDS edge of j, created unless it exists. */
    private static final String CREATE_MISSING = """
            WHERE a <> b AND none(k IN [(a)-[x:FEEDS]->(b) | x.job] WHERE k = j.key)
            CREATE (a)-[:FEEDS {job: j.key}]->(b)
            """;

    /**
     * The derived dataset-to-dataset edge: a FEEDS b (one edge per job) while some job currently
     * reads a and writes b. Rules walk it as {@code -[:FEEDS*]->}, which Neo4j runs as a pruning
     * breadth-first expand; the Job-in-the-middle pattern can only be walked path by path.
     * Missing edges are created after a check from the input's side rather than MERGEd: on a
     * graph with few FEEDS edges the planner answered MERGE's match with the FEEDS(job) index,
     * which scans all of the job's edges for each one, quadratic in a wide job's inputs
     * (DerivedStateTest). The one projector thread is the only writer of these edges.
     */
    private static final String FEEDS = """
            CALL (j) {
              MATCH (a:Dataset)-[f:FEEDS {job: j.key}]->(b:Dataset)
              WHERE NOT (EXISTS { (a)<-[:READS]-(j) } AND EXISTS { (j)-[:WRITES]->(b) })
              DELETE f
            }
            CALL (j) {
              MATCH (a:Dataset)<-[:READS]-(j)-[:WRITES]->(b:Dataset)
            """ + CREATE_MISSING + """
            }
            """;

    /** The job's latest finished run (by terminal time, then key), for rules about failing pipelines. */
    private static final String LATEST_RUN = """
            CALL (j) {
              OPTIONAL MATCH (j)-[:HAS_RUN]->(r:Run) WHERE r.state IN ['COMPLETED', 'FAILED', 'ABORTED']
              RETURN r ORDER BY coalesce(r.completeTime, r.failTime, r.abortTime) DESC, r.key DESC LIMIT 1
            }
            SET j.latestRunState = r.state, j.latestRunKey = r.key
            """;

    static final String FOR_JOBS = "UNWIND $jobs AS k\nMATCH (j:Job {key: k}) USING INDEX j:Job(key)\n" + FEEDS + "WITH j\n" + LATEST_RUN;

    /**
     * The FEEDS edges a job's current reads of the given datasets give it, created where missing:
     * the input-side half of {@link #FEEDS}, for a huge batch to write ahead in pieces
     * ({@link WriteAhead}); the batch's own {@link #update} still deletes what no
     * longer holds and creates anything left.
     */
    static final String FEEDS_FROM_INPUTS = """
            UNWIND $rows AS row
            MATCH (j:Job {key: row.job}) USING INDEX j:Job(key)
            UNWIND row.inputs AS inputKey
            MATCH (a:Dataset {key: inputKey}) USING INDEX a:Dataset(key)
            WHERE EXISTS { (a)<-[:READS]-(j) }
            MATCH (j)-[:WRITES]->(b:Dataset)
            """ + CREATE_MISSING;

    private DerivedState() {}

    static void update(TransactionContext tx, Set<String> jobs) {
        if (!jobs.isEmpty()) {
            tx.run(FOR_JOBS, Map.of("jobs", List.copyOf(jobs))).consume();
        }
    }

    /** Fills in derived state that a graph projected by an earlier version lacks (a no-op otherwise). */
    static void backfill(Driver driver) {
        try (Session session = driver.session()) {
            boolean missing = session.run("""
                    RETURN (EXISTS { (:Dataset)<-[:READS]-(:Job)-[:WRITES]->(:Dataset) } AND NOT EXISTS { ()-[:FEEDS]->() })
                        OR EXISTS { MATCH (j:Job)-[:HAS_RUN]->(r:Run) WHERE j.latestRunKey IS NULL AND r.state IN ['COMPLETED', 'FAILED', 'ABORTED'] }
                        AS missing""").single().get("missing").asBoolean();
            if (!missing) {
                return;
            }
            long started = System.nanoTime();
            recomputeAll(driver);
            LOG.info("derived lineage state filled in for the existing graph in {} ms", (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** Recomputes the derived state of every job. */
    static void recomputeAll(Driver driver) {
        try (Session session = driver.session()) {
            session.run("MATCH (j:Job) CALL (j) {\n" + FEEDS + "WITH j\n" + LATEST_RUN + "} IN TRANSACTIONS OF 500 ROWS").consume();
        }
    }
}
