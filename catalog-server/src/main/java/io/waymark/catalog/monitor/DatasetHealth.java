package io.waymark.catalog.monitor;

import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.Value;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Datasets as their consumers see them: fresh or stale against a {@code freshnessSla} annotation
 * (the last write of a completed run), passing or failing their latest data-quality assertions,
 * and for a stale or failing dataset the root cause: the nearest upstream jobs that are failing,
 * stuck or late, with the lineage path from the dataset to each.
 */
final class DatasetHealth {
    /** How far upstream the root-cause walk goes, and how many writers per dataset it follows. */
    static final int MAX_HOPS = 10;
    static final int FAN_OUT = 50;

    record Problem(String kind, String key, String namespace, String name, String reason, String episode, Long tier, String owner,
                   Map<String, Object> detail) {}

    record Freshness(String key, String namespace, String name, String sla, Instant lastWrite, boolean stale, Long lagMs, Long tier, String owner) {}

    private static final String FRESHNESS = """
            MATCH (d:Dataset) WHERE d.`ann.freshnessSla` IS NOT NULL AND NOT coalesce(d.deleted, false)
            CALL (d) {
              OPTIONAL MATCH (r:Run {state: 'COMPLETED'})-[w:WROTE]->(d)
              RETURN max(coalesce(r.completeTime, w.lastSeen)) AS lastWrite
            }
            RETURN d.key AS key, d.namespace AS namespace, d.name AS name, d.`ann.freshnessSla` AS sla, d.`ann.tier` AS tier,
                   d.`ann.owner` AS owner, lastWrite""";

    /** Each dataset's latest assertion results (the READ edge index on dqChecked finds the checked ones). */
    private static final String QUALITY = """
            MATCH (r:Run)-[e:READ]->(d:Dataset) WHERE e.dqChecked > 0 AND NOT coalesce(d.deleted, false)
            WITH d, e, r ORDER BY e.lastSeen DESC
            WITH d, collect({failed: e.dqFailed, at: e.lastSeen, checked: e.dqChecked, run: r.runId})[0] AS last
            WHERE size(last.failed) > 0
            RETURN d.key AS key, d.namespace AS namespace, d.name AS name, d.`ann.tier` AS tier, d.`ann.owner` AS owner,
                   last.failed AS failed, last.at AS at, last.checked AS checked, last.run AS run""";

    /**
     * Datasets whose latest row count (dataQualityMetrics) fell below {@code $ratio} of the one
     * before: an anomaly, whatever the assertions said.
     */
    private static final String ROW_DROPS = """
            MATCH (r:Run)-[e:READ]->(d:Dataset) WHERE e.dqRowCount IS NOT NULL AND NOT coalesce(d.deleted, false)
            WITH d, e, r ORDER BY e.lastSeen DESC
            WITH d, collect({rows: e.dqRowCount, at: e.lastSeen, run: r.runId})[..2] AS last
            WHERE size(last) = 2 AND last[1].rows > 0 AND toFloat(last[0].rows) / last[1].rows < $ratio
            RETURN d.key AS key, d.namespace AS namespace, d.name AS name, d.`ann.tier` AS tier, d.`ann.owner` AS owner,
                   last[0].rows AS rows, last[1].rows AS before, last[0].at AS at, last[0].run AS run""";

    /** One dataset's quality history: each read that carried assertions or metrics, newest first. */
    private static final String HISTORY = """
            MATCH (r:Run)-[e:READ]->(d:Dataset {key: $key})
            WHERE e.dqChecked IS NOT NULL OR e.dqRowCount IS NOT NULL OR e.facets CONTAINS '"dataQualityMetrics"'
            RETURN r.runId AS run, e.lastSeen AS at, e.dqChecked AS checked, e.dqFailed AS failed, e.dqRowCount AS rows, e.facets AS facets
            ORDER BY e.lastSeen DESC LIMIT $limit""";

    /** The jobs that write each of the given datasets (at most $cap per dataset), and what those jobs read. */
    private static final String UPSTREAM = """
            UNWIND $keys AS k
            CALL (k) {
              MATCH (j:Job)-[:WRITES]->(:Dataset {key: k}) WHERE NOT coalesce(j.deleted, false)
              RETURN j LIMIT $cap
            }
            OPTIONAL MATCH (j)-[:READS]->(i:Dataset) WHERE NOT coalesce(i.deleted, false)
            RETURN k, j.key AS job, j.namespace + '/' + j.name AS jobName, collect(i.key)[..$cap] AS inputs""";

    private DatasetHealth() {}

    static List<Freshness> freshness(Driver driver, Instant now) {
        List<Freshness> board = new ArrayList<>();
        try (Session session = driver.session()) {
            for (Record r : session.executeRead(tx -> tx.run(FRESHNESS).list())) {
                Duration sla = Schedule.duration(r.get("sla").asString(null));
                Instant last = r.get("lastWrite").isNull() ? null : r.get("lastWrite").asZonedDateTime().toInstant();
                Long lag = last == null ? null : Duration.between(last, now).toMillis();
                boolean stale = sla != null && (last == null || lag > sla.toMillis());
                board.add(new Freshness(r.get("key").asString(), r.get("namespace").asString(), r.get("name").asString(),
                        r.get("sla").asString(null), last, stale, lag, tier(r), r.get("owner").asString(null)));
            }
        }
        return board;
    }

    /** Stale and quality-failing datasets as problems, each with its root cause. */
    /** @param board the freshness board of this check (read once by the caller, which also publishes it) */
    static List<Problem> problems(Driver driver, List<Freshness> board, Map<String, JobStates.Health> jobs, double rowDropRatio) {
        List<Problem> problems = new ArrayList<>();
        // Walks from many datasets share their upstream: each dataset's writers are read once per check.
        Map<String, List<Record>> upstream = new HashMap<>();
        try (Session session = driver.session()) {
            for (Freshness f : board) {
                if (!f.stale()) {
                    continue;
                }
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("freshnessSla", f.sla());
                detail.put("lastWrite", f.lastWrite() == null ? null : f.lastWrite().toString());
                detail.put("rootCause", rootCause(session, f.key(), jobs, upstream));
                String reason = (f.lastWrite() == null ? "never written by a completed run" : "last written " + JobStates.human(Duration.ofMillis(f.lagMs()))
                        + " ago at " + f.lastWrite()) + ", past its freshnessSla " + f.sla() + causeText(detail.get("rootCause"));
                problems.add(new Problem("DATASET_STALE", f.key(), f.namespace(), f.name(), reason,
                        f.lastWrite() == null ? "never" : f.lastWrite().toString(), f.tier(), f.owner(), detail));
            }
            // A dataset's quality problem: failed assertions, a row-count drop, or both (one incident).
            Map<String, Record> meta = new LinkedHashMap<>();
            Map<String, Map<String, Object>> details = new LinkedHashMap<>();
            Map<String, List<String>> reasons = new LinkedHashMap<>();
            Map<String, String> episodes = new HashMap<>();
            for (Record r : session.executeRead(tx -> tx.run(QUALITY).list())) {
                String key = r.get("key").asString();
                List<String> failed = r.get("failed").asList(Value::asString);
                meta.put(key, r);
                Map<String, Object> detail = details.computeIfAbsent(key, k -> new LinkedHashMap<>());
                detail.put("failedAssertions", failed);
                detail.put("checked", r.get("checked").asLong());
                detail.put("run", r.get("run").asString(null));
                detail.put("at", r.get("at").isNull() ? null : r.get("at").asZonedDateTime().toInstant().toString());
                reasons.computeIfAbsent(key, k -> new ArrayList<>()).add(failed.size() + " of " + r.get("checked").asLong()
                        + " data-quality assertions failed: " + String.join(", ", failed));
                episodes.put(key, r.get("run").asString(""));
            }
            for (Record r : session.executeRead(tx -> tx.run(ROW_DROPS, Map.of("ratio", rowDropRatio)).list())) {
                String key = r.get("key").asString();
                meta.putIfAbsent(key, r);
                Map<String, Object> detail = details.computeIfAbsent(key, k -> new LinkedHashMap<>());
                detail.put("rowCount", r.get("rows").asLong());
                detail.put("previousRowCount", r.get("before").asLong());
                reasons.computeIfAbsent(key, k -> new ArrayList<>()).add("the row count fell from " + r.get("before").asLong() + " to "
                        + r.get("rows").asLong() + " (below " + rowDropRatio + " of the read before)");
                episodes.merge(key, r.get("run").asString(""), (a, b) -> a.equals(b) ? a : a + "+" + b);
            }
            for (Map.Entry<String, Map<String, Object>> e : details.entrySet()) {
                String key = e.getKey();
                Record r = meta.get(key);
                Map<String, Object> detail = e.getValue();
                detail.put("rootCause", rootCause(session, key, jobs, upstream));
                String reason = String.join("; ", reasons.get(key)) + causeText(detail.get("rootCause"));
                problems.add(new Problem("QUALITY_FAILED", key, r.get("namespace").asString(), r.get("name").asString(), reason,
                        episodes.get(key), tier(r), r.get("owner").asString(null), detail));
            }
        }
        return problems;
    }

    /** A dataset's quality history: assertions checked and failed, row count and column metrics per read, newest first. */
    static List<Map<String, Object>> history(Driver driver, String key, int limit) {
        List<Map<String, Object>> history = new ArrayList<>();
        try (Session session = driver.session()) {
            for (Record r : session.executeRead(tx -> tx.run(HISTORY, Map.of("key", key, "limit", limit)).list())) {
                Map<String, Object> point = new LinkedHashMap<>();
                point.put("run", r.get("run").asString(null));
                point.put("at", r.get("at").isNull() ? null : r.get("at").asZonedDateTime().toInstant().toString());
                point.put("checked", r.get("checked").isNull() ? null : r.get("checked").asLong());
                point.put("failed", r.get("failed").isNull() ? List.of() : r.get("failed").asList(Value::asString));
                point.put("rowCount", r.get("rows").isNull() ? null : r.get("rows").asLong());
                com.fasterxml.jackson.databind.JsonNode metrics = io.waymark.catalog.api.JsonView.parse(r.get("facets").asString("{}"))
                        .path("dataQualityMetrics").path("columnMetrics");
                point.put("columnMetrics", metrics.isObject() ? metrics : null);
                history.add(point);
            }
        }
        return history;
    }

    private static Long tier(Record r) {
        return r == null || r.get("tier").isNull() ? null : r.get("tier").asLong();
    }

    @SuppressWarnings("unchecked")
    private static String causeText(Object rootCause) {
        List<Map<String, Object>> causes = (List<Map<String, Object>>) rootCause;
        if (causes.isEmpty()) {
            return "; no failing, stuck or late job upstream";
        }
        Map<String, Object> first = causes.get(0);
        return "; root cause: job " + first.get("job") + " is " + first.get("state") + " (" + first.get("reason") + ")";
    }

    /**
     * The nearest unhealthy jobs upstream of a dataset: breadth first over writers and their
     * inputs, stopping at the first hop where any writer is failing, stuck or late. Each cause
     * carries the path from the dataset to it (dataset, job, dataset, …, job).
     */
    static List<Map<String, Object>> rootCause(Session session, String datasetKey, Map<String, JobStates.Health> jobs,
                                               Map<String, List<Record>> upstream) {
        Map<String, List<String>> pathTo = new HashMap<>();
        pathTo.put(datasetKey, List.of(datasetKey));
        Set<String> seen = new HashSet<>(Set.of(datasetKey));
        List<String> frontier = List.of(datasetKey);
        for (int hop = 0; hop < MAX_HOPS && !frontier.isEmpty(); hop++) {
            List<String> missing = frontier.stream().filter(k -> !upstream.containsKey(k)).toList();
            if (!missing.isEmpty()) {
                missing.forEach(k -> upstream.put(k, new ArrayList<>()));
                session.executeRead(tx -> tx.run(UPSTREAM, Map.of("keys", missing, "cap", FAN_OUT)).list())
                        .forEach(r -> upstream.get(r.get("k").asString()).add(r));
            }
            List<Record> rows = new ArrayList<>();
            frontier.forEach(k -> rows.addAll(upstream.get(k)));
            List<Map<String, Object>> causes = new ArrayList<>();
            List<String> next = new ArrayList<>();
            for (Record r : rows) {
                String job = r.get("job").asString();
                List<String> path = new ArrayList<>(pathTo.get(r.get("k").asString()));
                path.add(job);
                JobStates.Health health = jobs.get(job);
                if (health != null && !health.state().equals("OK")) {
                    Map<String, Object> cause = new LinkedHashMap<>();
                    cause.put("job", r.get("jobName").asString());
                    cause.put("jobKey", job);
                    cause.put("state", health.state());
                    cause.put("reason", health.reason());
                    // Marquez-style ids, as the lineage explorer and the API's node ids spell them.
                    cause.put("path", path.stream().map(io.waymark.catalog.model.NodeId::display).toList());
                    causes.add(cause);
                    continue;
                }
                for (Value input : r.get("inputs").values()) {
                    String in = input.asString();
                    if (seen.add(in)) {
                        List<String> inPath = new ArrayList<>(path);
                        inPath.add(in);
                        pathTo.put(in, inPath);
                        next.add(in);
                    }
                }
            }
            if (!causes.isEmpty()) {
                return causes;
            }
            frontier = next;
        }
        return List.of();
    }
}
