package io.waymark.catalog.monitor;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The monitor's judgement of one job, as a pure function of its runs and annotations. */
class JobStatesTest {
    private static final Instant NOW = Instant.parse("2026-12-03T10:30:00Z");
    private static final Duration GRACE = Duration.ofMinutes(5);

    private static JobStates.Run done(String id, Instant start, Duration took, String state) {
        return new JobStates.Run(id, state, start, start.plus(took), start.plus(took), null);
    }

    private static JobStates.Health judge(boolean streaming, String schedule, String maxRun, String heartbeat, List<JobStates.Run> runs) {
        return JobStates.judge("job:ns:j", "ns", "j", streaming, schedule, maxRun, heartbeat, null, null, runs, NOW, GRACE);
    }

    /** Hourly runs of 10 minutes, newest first, the last one started at {@code last}. */
    private static List<JobStates.Run> hourly(Instant last, int count) {
        List<JobStates.Run> runs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            runs.add(done("r" + i, last.minus(Duration.ofHours(i)), Duration.ofMinutes(10), "COMPLETED"));
        }
        return runs;
    }

    @Test
    void aCronScheduleMakesAJobLateOnlyPastItsFiringAndTheGrace() {
        // Runs daily at 06:00 UTC on weekdays; the last run started yesterday (Wednesday) at 06:00.
        List<JobStates.Run> runs = List.of(done("r", Instant.parse("2026-12-02T06:00:00Z"), Duration.ofMinutes(20), "COMPLETED"));
        JobStates.Health late = judge(false, "0 6 * * 1-5", null, null, runs);
        assertEquals("LATE", late.state(), late.reason());
        assertEquals(Instant.parse("2026-12-03T06:00:00Z"), late.expectedBy());
        assertTrue(late.reason().contains("schedule '0 6 * * 1-5'"), late.reason());
        List<JobStates.Run> today = List.of(done("r2", Instant.parse("2026-12-03T06:01:00Z"), Duration.ofMinutes(20), "COMPLETED"));
        assertEquals("OK", judge(false, "0 6 * * 1-5", null, null, today).state(), "today's run happened");
        List<JobStates.Run> justNow = List.of(done("r3", Instant.parse("2026-12-03T10:00:00Z"), Duration.ofMinutes(1), "COMPLETED"));
        assertEquals("OK", judge(false, "*/30 * * * *", null, null, justNow).state(), "due at 10:30, within the grace");
    }

    @Test
    void aLearnedCadenceMakesAJobLateAndARetiredJobIsNot() {
        assertEquals("OK", judge(false, null, null, null, hourly(NOW.minus(Duration.ofMinutes(50)), 6)).state());
        JobStates.Health late = judge(false, null, null, null, hourly(NOW.minus(Duration.ofHours(2)), 6));
        assertEquals("LATE", late.state(), late.reason());
        assertTrue(late.reason().contains("its usual cadence of 60m"), late.reason());
        assertEquals("OK", judge(false, null, null, null, hourly(NOW.minus(Duration.ofHours(30)), 6)).state(),
                "silent for more than ten cadences: retired, not late");
        assertEquals("OK", judge(false, null, null, null, hourly(NOW.minus(Duration.ofHours(2)), 3)).state(), "too few runs to learn a cadence");
    }

    @Test
    void aRunLongerThanItsLimitOrThreeTimesItsP95IsStuck() {
        List<JobStates.Run> runs = new ArrayList<>();
        runs.add(new JobStates.Run("now", "RUNNING", NOW.minus(Duration.ofMinutes(45)), null, NOW.minus(Duration.ofMinutes(45)), null));
        runs.addAll(hourly(NOW.minus(Duration.ofHours(1)), 6));
        JobStates.Health stuck = judge(false, null, null, null, runs);
        assertEquals("STUCK", stuck.state());
        assertTrue(stuck.reason().contains("3.0 × its p95 run time (10m)"), stuck.reason());
        assertEquals("now", stuck.episode());
        assertEquals("OK", judge(false, null, "PT1H", null, runs).state(), "maxRunDuration wins over the learned p95");
        assertEquals(600_000L, stuck.p50Ms());
        assertEquals(1.0, stuck.successRate());
    }

    @Test
    void aStreamingJobSilentPastItsHeartbeatIsStuck() {
        List<JobStates.Run> runs = List.of(new JobStates.Run("s", "RUNNING", NOW.minus(Duration.ofDays(3)), null, NOW.minus(Duration.ofMinutes(12)), null));
        JobStates.Health silent = judge(true, null, null, "PT10M", runs);
        assertEquals("STUCK", silent.state());
        assertTrue(silent.reason().contains("has sent no event for 12m, longer than its heartbeat PT10M"), silent.reason());
        assertEquals("OK", judge(true, null, null, "PT15M", runs).state());
        assertEquals("OK", judge(true, null, null, null, runs).state(), "a stream runs for days: no heartbeat, no limit");
    }

    @Test
    void theLastFinishedRunFailingIsFailingUnlessARetryRuns() {
        List<JobStates.Run> runs = new ArrayList<>(List.of(done("f", NOW.minus(Duration.ofMinutes(20)), Duration.ofMinutes(2), "FAILED")));
        runs.addAll(hourly(NOW.minus(Duration.ofHours(1)), 3));
        JobStates.Health failing = judge(false, null, null, null, runs);
        assertEquals("FAILING", failing.state());
        assertEquals("f", failing.episode());
        assertEquals(0.75, failing.successRate());
        runs.add(0, new JobStates.Run("retry", "RUNNING", NOW.minus(Duration.ofMinutes(1)), null, NOW, null));
        assertEquals("OK", judge(false, null, null, null, runs).state(), "a retry in progress");
        assertNull(judge(false, null, null, null, runs).reason());
    }

    @Test
    void schedulesAndDurationsAreCheckedAsTheyAreWritten() {
        assertNull(Schedule.scheduleProblem("0 6 * * 1-5"));
        assertNull(Schedule.scheduleProblem("PT1H"));
        assertTrue(Schedule.scheduleProblem("PT10S").contains("at least a minute"));
        assertTrue(Schedule.scheduleProblem("0 6 * *").contains("5 or 6 fields"));
        assertTrue(Schedule.scheduleProblem("0 61 * * *").contains("not a valid cron expression"));
        assertNull(Schedule.duration("15 minutes"));
        assertNull(Schedule.duration("PT0S"));
        assertEquals(Duration.ofDays(1), Schedule.duration("P1D"));
    }
}
