package io.waymark.catalog.projection;

import io.waymark.catalog.journal.JournalEntry;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Plans the projection's statements before the server reports healthy: the first batch on a cold
 * JVM otherwise spends seconds in Cypher planning (a fresh server showed its first event after
 * about 5 s). One batch of synthetic events that uses every kind of row an event can produce is
 * written in a transaction that is rolled back, so the graph never sees it.
 */
final class ProjectionWarmup {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectionWarmup.class);
    private static final String NS = "waymark-warmup";
    private static final String RUN = """
            {"eventTime": "2000-01-01T00:00:00Z", "eventType": "COMPLETE", "producer": "https://waymark/warmup",
             "run": {"runId": "00000000-0000-4000-8000-000000000001", "facets": {
                 "parent": {"job": {"namespace": "waymark-warmup", "name": "parent"}, "run": {"runId": "00000000-0000-4000-8000-000000000002"}},
                 "nominalTime": {"nominalStartTime": "2000-01-01T00:00:00Z"}}},
             "job": {"namespace": "waymark-warmup", "name": "job", "facets": {
                 "ownership": {"owners": [{"name": "team:warmup"}]}, "jobType": {"processingType": "BATCH", "integration": "WARMUP", "jobType": "JOB"}}},
             "inputs": [{"namespace": "waymark-warmup", "name": "in", "facets": {
                 "schema": {"fields": [{"name": "a", "type": "string", "fields": [{"name": "b", "type": "string"}]}]},
                 "dataSource": {"name": "warmup", "uri": "warmup://host"},
                 "symlinks": {"identifiers": [{"namespace": "waymark-warmup", "name": "alias", "type": "TABLE"}]}},
               "inputFacets": {"dataQualityAssertions": {"assertions": [{"assertion": "not_null", "success": true, "column": "a"}]}}}],
             "outputs": [{"namespace": "waymark-warmup", "name": "out", "facets": {
                 "schema": {"fields": [{"name": "a", "type": "string"}]},
                 "ownership": {"owners": [{"name": "team:warmup"}]},
                 "columnLineage": {"fields": {"a": {"inputFields": [{"namespace": "waymark-warmup", "name": "in", "field": "a",
                     "transformations": [{"type": "DIRECT", "subtype": "IDENTITY"}]}]}},
                   "dataset": [{"namespace": "waymark-warmup", "name": "in", "field": "a",
                     "transformations": [{"type": "INDIRECT", "subtype": "FILTER"}]}]}}}]}""";
    private static final String FAIL = """
            {"eventTime": "2000-01-01T00:00:01Z", "eventType": "FAIL", "producer": "https://waymark/warmup",
             "run": {"runId": "00000000-0000-4000-8000-000000000003"}, "job": {"namespace": "waymark-warmup", "name": "job"},
             "inputs": [{"namespace": "waymark-warmup", "name": "in"}], "outputs": []}""";
    private static final String DATASET = """
            {"eventTime": "2000-01-01T00:00:02Z", "producer": "https://waymark/warmup",
             "dataset": {"namespace": "waymark-warmup", "name": "static", "facets": {"schema": {"fields": [{"name": "a", "type": "string"}]}}}}""";
    private static final String JOB = """
            {"eventTime": "2000-01-01T00:00:03Z", "producer": "https://waymark/warmup",
             "job": {"namespace": "waymark-warmup", "name": "static"},
             "inputs": [{"namespace": "waymark-warmup", "name": "static"}], "outputs": [{"namespace": "waymark-warmup", "name": "out"}]}""";

    private static final class RolledBack extends RuntimeException {
        RolledBack() {
            super(null, null, false, false);
        }
    }

    /** The first round plans the statements; later ones let the JIT compile the paths every batch takes. */
    private static final int ROUNDS = 2;

    private ProjectionWarmup() {}

    /** The commonest shape there is: one run's end with one output and no facets (no inputs, no quality, no schema). */
    private static final String PLAIN = """
            {"eventTime": "2000-01-01T00:00:04Z", "eventType": "COMPLETE", "producer": "https://waymark/warmup",
             "run": {"runId": "00000000-0000-4000-8000-000000000004"}, "job": {"namespace": "waymark-warmup", "name": "plain"},
             "inputs": [], "outputs": [{"namespace": "waymark-warmup", "name": "plain"}]}""";

    static void run(Driver driver, EventProjection projection) {
        long started = System.nanoTime();
        try {
            ProjectionBatch full = new ProjectionBatch();
            long id = -5;
            for (var e : List.of(new String[] {"RUN", "COMPLETE", RUN, "00000000-0000-4000-8000-000000000001"},
                    new String[] {"RUN", "FAIL", FAIL, "00000000-0000-4000-8000-000000000003"},
                    new String[] {"DATASET", null, DATASET, null}, new String[] {"JOB", null, JOB, null})) {
                projection.add(new JournalEntry(id++, "2000-01-01T00:00:00Z", "2000-01-01T00:00:00Z", e[0], e[1], e[3],
                        e[0].equals("DATASET") ? null : NS, e[0].equals("DATASET") ? null : "job", e[2]), full);
            }
            // Cypher caches a plan per statement and parameter types, and an empty list is a type of its own:
            // a batch whose lists are empty (no quality metrics, no inputs) is planned apart from the full one.
            ProjectionBatch plain = new ProjectionBatch();
            projection.add(new JournalEntry(id, "2000-01-01T00:00:00Z", "2000-01-01T00:00:00Z", "RUN", "COMPLETE",
                    "00000000-0000-4000-8000-000000000004", NS, "plain", PLAIN), plain);
            StringBuilder rounds = new StringBuilder();
            for (int i = 0; i < ROUNDS; i++) {
                for (ProjectionBatch batch : List.of(full, plain)) {
                    long round = System.nanoTime();
                    try (Session session = driver.session()) {
                        session.executeWrite(tx -> {
                            GraphWriter.write(tx, batch, new WriteCache(100));
                            // Thrown out of the transaction function, which rolls the transaction back.
                            throw new RolledBack();
                        });
                    } catch (RolledBack expected) {
                        // planned, and nothing written
                    }
                    rounds.append(rounds.length() == 0 ? "" : ", ").append((System.nanoTime() - round) / 1_000_000);
                }
            }
            LOG.info("projection warmed up in {} ms (rounds: {} ms)", (System.nanoTime() - started) / 1_000_000, rounds);
        } catch (Exception e) {
            // Only a warm-up: the first real batch pays for the planning instead.
            LOG.info("projection warm-up skipped: {}", e.toString());
        }
    }
}
