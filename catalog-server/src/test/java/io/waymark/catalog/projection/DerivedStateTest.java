package io.waymark.catalog.projection;

import io.waymark.catalog.Events;
import io.waymark.catalog.TestServer;
import io.waymark.catalog.model.NodeId;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.summary.ProfiledPlan;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The derived FEEDS edges of a job cost work in proportion to its inputs. A MERGE of each
 * (input)-[:FEEDS {job}]->(output) edge was planned as a lookup in the FEEDS(job) index followed
 * by a filter on the end nodes: every edge scanned all of the job's edges, so a job with 100,000
 * inputs kept the projector busy for longer than anyone waited (issue 19, item 4).
 */
class DerivedStateTest {
    private static final TestServer server = TestServer.get();

    @Test
    void feedsOfAWideJobCostLinearDatabaseWork() {
        String ns = Events.ns();
        long small = dbHitsForAJobReading(ns, "wide500", 500);
        long large = dbHitsForAJobReading(ns, "wide4000", 4000);
        // Linear work grows 8-fold from 500 to 4,000 inputs; one index scan per edge grows 64-fold.
        assertTrue(large < small * 16, "db hits " + small + " for 500 inputs, " + large + " for 4000");
    }

    private static long dbHitsForAJobReading(String ns, String job, int inputs) {
        String[] names = new String[inputs];
        for (int i = 0; i < inputs; i++) {
            names[i] = job + "_in_" + i;
        }
        var posted = server.postJson("/api/v1/lineage", Events.complete(ns, job, names, new String[] {"out_" + job}, "2025-01-01T00:00:00Z").toString());
        assertEquals(201, posted.statusCode(), posted.body());
        server.awaitProjection();
        Driver driver = server.context.getBean(Driver.class);
        try (var session = driver.session()) {
            // Drop every derived edge so the profiled update creates the job's again, planned as on
            // a fresh graph (where the stuck projection was seen); the other jobs' come back below.
            session.run("MATCH ()-[f:FEEDS]->() DELETE f").consume();
            return session.executeWrite(tx -> {
                var summary = tx.run("CYPHER replan=force PROFILE " + DerivedState.FOR_JOBS, Map.of("jobs", List.of(NodeId.job(ns, job)))).consume();
                long feeds = tx.run("MATCH ()-[f:FEEDS {job: $k}]->() RETURN count(f) AS n", Map.of("k", NodeId.job(ns, job))).single().get("n").asLong();
                assertEquals(inputs, feeds, "one FEEDS edge per input");
                return dbHits(summary.profile());
            });
        } finally {
            // Every job's edges back, as projection made them: the graph is shared with other tests (RebuildTest compares it).
            DerivedState.recomputeAll(driver);
        }
    }

    private static long dbHits(ProfiledPlan plan) {
        long hits = plan.dbHits();
        for (ProfiledPlan child : plan.children()) {
            hits += dbHits(child);
        }
        return hits;
    }
}
