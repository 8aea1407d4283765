package io.waymark.catalog.projection;

import io.waymark.catalog.model.JobVersion;
import org.neo4j.driver.TransactionContext;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Each run's job version ({@link JobVersion}), kept on the run as {@code jobVersion} when its
 * inputs or outputs change. The version names every input and output, and answers list at most
 * a thousand of them, so it cannot be computed from what an answer reads; computing it here
 * reads a run's I/O once per batch that adds to it instead of once per request.
 */
final class RunVersions {
    private static final String RUNS = """
            UNWIND $runKeys AS rk
            MATCH (j:Job)-[:HAS_RUN]->(r:Run {key: rk}) USING INDEX r:Run(key)
            RETURN rk, j.namespace AS namespace, j.name AS name""";
    /** A row per input and output, streamed: a run's I/O as one list was 114,000 maps for a huge run (see {@link #update}). */
    private static final String IO = """
            UNWIND $runKeys AS rk
            MATCH (r:Run {key: rk}) USING INDEX r:Run(key)
            CALL (r) {
                MATCH (r)-[:READ]->(d:Dataset) RETURN false AS wrote, d.namespace AS ns, d.name AS dn
                UNION ALL
                MATCH (r)-[:WROTE]->(d:Dataset) RETURN true AS wrote, d.namespace AS ns, d.name AS dn
            }
            RETURN rk, wrote, ns, dn""";

    private static final String SET = """
            UNWIND $rows AS row
            MATCH (r:Run {key: row.key}) USING INDEX r:Run(key)
            SET r.jobVersion = row.version""";

    /** A run's inputs and outputs as the version names them ({@link JobVersion#key}). */
    private record Io(SortedSet<String> inputs, SortedSet<String> outputs) {}

    private RunVersions() {}

    /** Sets the job version of the runs that {@code runIo} rows (with {@code runKey}) added to. */
    static void update(TransactionContext tx, List<Map<String, Object>> runIo) {
        Set<String> runKeys = new LinkedHashSet<>();
        runIo.forEach(row -> runKeys.add((String) row.get("runKey")));
        if (runKeys.isEmpty()) {
            return;
        }
        // Each row is folded into its run's sorted keys as it arrives. Listed first, a huge run's
        // I/O (114,000 maps, about 60 MB) outlived young collections while it was read, and dead in
        // the old generation it kept its young maps alive: the pauses after the batch copied them.
        Map<String, String[]> jobs = new HashMap<>();
        tx.run(RUNS, Map.of("runKeys", List.copyOf(runKeys)))
                .forEachRemaining(r -> jobs.put(r.get("rk").asString(), new String[] {r.get("namespace").asString(), r.get("name").asString()}));
        Map<String, Io> io = new HashMap<>();
        jobs.keySet().forEach(run -> io.put(run, new Io(new TreeSet<>(), new TreeSet<>())));
        tx.run(IO, Map.of("runKeys", List.copyOf(jobs.keySet()))).forEachRemaining(r -> {
            Io run = io.get(r.get("rk").asString());
            (r.get("wrote").asBoolean() ? run.outputs() : run.inputs()).add(JobVersion.key(r.get("ns").asObject(), r.get("dn").asObject()));
        });
        List<Map<String, Object>> rows = new ArrayList<>();
        jobs.forEach((run, job) -> rows.add(Map.of("key", run, "version",
                JobVersion.of(job[0], job[1], io.get(run).inputs(), io.get(run).outputs()))));
        GraphWriter.run(tx, SET, rows);
    }
}
