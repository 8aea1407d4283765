package io.waymark.catalog.monitor;

import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.Value;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Each job's health from its run history: duration p50/p95, success rate and usual cadence, and a
 * state — {@code STUCK} (running longer than its {@code maxRunDuration} annotation, or than
 * {@value #STUCK_FACTOR} × its p95; a streaming job silent past its {@code heartbeat}),
 * {@code FAILING} (the last finished run failed and none runs now), {@code LATE} (the run its
 * {@code schedule} annotation or its learned cadence expects has not started) or {@code OK} —
 * with the reason in words. Times are the producers' event times.
 */
final class JobStates {
    /** Runs of history read per job. */
    static final int HISTORY = 50;
    static final double STUCK_FACTOR = 3.0;
    /** Completed runs needed before p95 or the cadence are trusted. */
    static final int MIN_SAMPLES = 5;
    /** A job silent for this many of its cadences is taken as retired, not late. */
    static final int RETIRED_AFTER = 10;

    record Run(String id, String state, Instant start, Instant end, Instant updated, String error) {
        Long durationMs() {
            return start == null || end == null ? null : Duration.between(start, end).toMillis();
        }
    }

    record Health(String key, String namespace, String name, String state, String reason, String episode, Long p50Ms, Long p95Ms,
                  Double successRate, Long cadenceMs, Instant expectedBy, Long tier, String owner, List<Run> runs) {}

    private static final String QUERY = """
            MATCH (j:Job) WHERE NOT coalesce(j.deleted, false) AND ($key IS NULL OR j.key = $key)
            CALL (j) {
              MATCH (j)-[:HAS_RUN]->(r:Run)
              WITH r ORDER BY coalesce(r.startTime, r.createdAt) DESC LIMIT $history
              RETURN collect({id: r.runId, state: r.state, start: coalesce(r.startTime, r.createdAt),
                              end: coalesce(r.completeTime, r.failTime, r.abortTime), updated: r.updatedAt, error: r.errorMessage}) AS runs
            }
            WITH j, runs WHERE size(runs) > 0
            RETURN j.key AS key, j.namespace AS namespace, j.name AS name, j.type AS type, j.`ann.schedule` AS schedule,
                   j.`ann.maxRunDuration` AS maxRun, j.`ann.heartbeat` AS heartbeat, j.`ann.tier` AS tier, j.`ann.owner` AS owner, runs""";

    private JobStates() {}

    /** Every job with runs (or the one with {@code key}), judged at {@code now}. */
    static List<Health> read(Driver driver, String key, Instant now, Duration grace) {
        List<Health> result = new ArrayList<>();
        try (Session session = driver.session()) {
            for (Record r : session.executeRead(tx -> tx.run(QUERY, Map.of("history", HISTORY, "key", key == null ? org.neo4j.driver.Values.NULL : org.neo4j.driver.Values.value(key))).list())) {
                List<Run> runs = new ArrayList<>();
                for (Value v : r.get("runs").values()) {
                    runs.add(new Run(v.get("id").asString(null), v.get("state").asString("NEW"), instant(v.get("start")), instant(v.get("end")),
                            instant(v.get("updated")), v.get("error").asString(null)));
                }
                runs.sort(Comparator.comparing(Run::start, Comparator.nullsLast(Comparator.reverseOrder())));
                result.add(judge(r.get("key").asString(), r.get("namespace").asString(), r.get("name").asString(),
                        "STREAM".equals(r.get("type").asString(null)), r.get("schedule").asString(null), r.get("maxRun").asString(null),
                        r.get("heartbeat").asString(null), r.get("tier").isNull() ? null : r.get("tier").asLong(),
                        r.get("owner").asString(null), runs, now, grace));
            }
        }
        return result;
    }

    private static Instant instant(Value v) {
        return v == null || v.isNull() ? null : v.asZonedDateTime().toInstant();
    }

    /** The state of one job from its runs (newest first). Pure, for tests. */
    static Health judge(String key, String namespace, String name, boolean streaming, String schedule, String maxRun, String heartbeat,
                        Long tier, String owner, List<Run> runs, Instant now, Duration grace) {
        List<Long> durations = new ArrayList<>();
        int completed = 0;
        int failed = 0;
        for (Run run : runs) {
            if (run.state().equals("COMPLETED")) {
                completed++;
                if (run.durationMs() != null) {
                    durations.add(run.durationMs());
                }
            } else if (run.state().equals("FAILED")) {
                failed++;
            }
        }
        Long p50 = percentile(durations, 0.5);
        Long p95 = percentile(durations, 0.95);
        Double successRate = completed + failed == 0 ? null : (double) completed / (completed + failed);
        List<Long> intervals = new ArrayList<>();
        for (int i = 0; i + 1 < runs.size(); i++) {
            if (runs.get(i).start() != null && runs.get(i + 1).start() != null) {
                intervals.add(Duration.between(runs.get(i + 1).start(), runs.get(i).start()).toMillis());
            }
        }
        Long cadence = intervals.size() >= MIN_SAMPLES - 1 ? percentile(intervals, 0.5) : null;
        if (cadence != null && cadence < 60_000) {
            cadence = null;
        }
        Run latest = runs.get(0);
        String state = "OK";
        String reason = null;
        String episode = null;
        Instant expectedBy = null;
        boolean running = latest.state().equals("RUNNING") || latest.state().equals("NEW");
        if (running && latest.start() != null) {
            Duration elapsed = Duration.between(latest.start(), now);
            Duration limit = Schedule.duration(maxRun);
            String why = limit == null ? null : "maxRunDuration " + maxRun;
            if (limit == null && p95 != null && durations.size() >= MIN_SAMPLES) {
                limit = Duration.ofMillis((long) (p95 * STUCK_FACTOR));
                why = STUCK_FACTOR + " × its p95 run time (" + human(Duration.ofMillis(p95)) + ")";
            }
            Duration beat = streaming ? Schedule.duration(heartbeat) : null;
            if (beat != null && latest.updated() != null && Duration.between(latest.updated(), now).compareTo(beat) > 0) {
                state = "STUCK";
                reason = "streaming run " + latest.id() + " has sent no event for " + human(Duration.between(latest.updated(), now))
                        + ", longer than its heartbeat " + heartbeat;
                episode = latest.id();
            } else if (limit != null && elapsed.compareTo(limit) > 0 && !streaming) {
                state = "STUCK";
                reason = "run " + latest.id() + " has been running for " + human(elapsed) + ", longer than " + why;
                episode = latest.id();
            }
        }
        if (state.equals("OK") && !running) {
            Run lastFinished = runs.stream().filter(r -> !r.state().equals("RUNNING") && !r.state().equals("NEW")).findFirst().orElse(null);
            if (lastFinished != null && lastFinished.state().equals("FAILED")) {
                state = "FAILING";
                reason = "the last run " + lastFinished.id() + " failed" + (lastFinished.end() == null ? "" : " at " + lastFinished.end())
                        + (lastFinished.error() == null ? "" : ": " + abbreviate(lastFinished.error()));
                episode = lastFinished.id();
            }
        }
        if (state.equals("OK") && !running && latest.start() != null) {
            Instant due = null;
            String basis = null;
            if (schedule != null && Schedule.scheduleProblem(schedule) == null) {
                due = Schedule.nextDue(schedule, latest.start());
                basis = "schedule '" + schedule + "'";
            } else if (cadence != null && Duration.between(latest.start(), now).toMillis() < cadence * RETIRED_AFTER) {
                due = latest.start().plusMillis(cadence);
                grace = Duration.ofMillis(Math.max(grace.toMillis(), cadence / 2));
                basis = "its usual cadence of " + human(Duration.ofMillis(cadence));
            }
            expectedBy = due;
            if (due != null && now.isAfter(due.plus(grace))) {
                state = "LATE";
                reason = "a run was expected by " + due + " (" + basis + "); the last one started at " + latest.start();
                episode = due.toString();
            }
        }
        return new Health(key, namespace, name, state, reason, episode, p50, p95, successRate, cadence, expectedBy, tier, owner, runs);
    }

    static Long percentile(List<Long> values, double p) {
        if (values.isEmpty()) {
            return null;
        }
        List<Long> sorted = values.stream().sorted().toList();
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    static String human(Duration d) {
        long s = d.getSeconds();
        if (s < 120) {
            return s + "s";
        }
        if (s < 7200) {
            return (s / 60) + "m";
        }
        if (s < 172_800) {
            return (s / 3600) + "h" + (s % 3600 / 60 == 0 ? "" : " " + (s % 3600 / 60) + "m");
        }
        return (s / 86_400) + "d";
    }

    private static String abbreviate(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
