package io.waymark.catalog.projection;

import io.waymark.catalog.model.JobVersion;
import org.neo4j.driver.Record;
import org.neo4j.driver.TransactionContext;
import org.neo4j.driver.Value;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each run's job version ({@link JobVersion}), kept on the run as {@code jobVersion} when its
 * inputs or outputs change. The version names every input and output, and answers list at most
 * a thousand of them, so it cannot be computed from what an answer reads; computing it here
 * reads a run's I/O once per batch that adds to it instead of once per request.
 */
final class RunVersions {
    private static final String IO = """
            UNWIND $runKeys AS rk
            MATCH (j:Job)-[:HAS_RUN]->(r:Run {key: rk}) USING INDEX r:Run(key)
            RETURN rk, j.namespace AS namespace, j.name AS name,
                   [(r)-[:READ]->(d:Dataset) | d {.namespace, .name}] AS inputs,
                   [(r)-[:WROTE]->(d:Dataset) | d {.namespace, .name}] AS outputs""";

    private static final String SET = """
            UNWIND $rows AS row
            MATCH (r:Run {key: row.key}) USING INDEX r:Run(key)
            SET r.jobVersion = row.version""";

    private RunVersions() {}

    /** Sets the job version of the runs that {@code runIo} rows (with {@code runKey}) added to. */
    static void update(TransactionContext tx, List<Map<String, Object>> runIo) {
        Set<String> runKeys = new LinkedHashSet<>();
        runIo.forEach(row -> runKeys.add((String) row.get("runKey")));
        if (runKeys.isEmpty()) {
            return;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Record r : tx.run(IO, Map.of("runKeys", List.copyOf(runKeys))).list()) {
            String version = JobVersion.of(r.get("namespace").asString(), r.get("name").asString(),
                    r.get("inputs").asList(Value::asMap), r.get("outputs").asList(Value::asMap));
            rows.add(Map.of("key", r.get("rk").asString(), "version", version));
        }
        GraphWriter.run(tx, SET, rows);
    }
}
