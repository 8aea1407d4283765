package io.waymark.catalog.monitor;

import io.micronaut.scheduling.cron.CronExpression;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;

/**
 * The times operations annotations speak in: ISO-8601 durations ({@code PT15M}, {@code P1D}) and
 * schedules, either a cron expression (five fields, minute first, or six with seconds; UTC) or an
 * ISO-8601 period ({@code PT1H}: a run is expected that long after the last one started).
 */
public final class Schedule {
    private Schedule() {}

    /** A positive duration, or null when the text is not one (days as {@code P1D} are 24 hours). */
    public static Duration duration(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            Duration d = Duration.parse(text.strip());
            return d.isNegative() || d.isZero() ? null : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Why a schedule annotation is not one, or null when it is. */
    public static String scheduleProblem(String text) {
        if (text == null || text.isBlank()) {
            return "schedule must be a cron expression such as '0 6 * * *' (UTC) or an ISO-8601 period such as PT1H";
        }
        if (text.strip().startsWith("P")) {
            Duration d = duration(text);
            return d == null || d.compareTo(Duration.ofMinutes(1)) < 0 ? "schedule '" + text + "' is not an ISO-8601 period of at least a minute (PT1H, P1D)" : null;
        }
        try {
            cron(text);
            return null;
        } catch (RuntimeException e) {
            return "schedule '" + text + "' is not a valid cron expression (minute hour day-of-month month day-of-week, UTC): " + e.getMessage();
        }
    }

    /**
     * When the run after one that started at {@code lastStart} is due: for a period, that much
     * later; for a cron, its first firing after the start (a run that starts late does not owe the
     * firing it answered). Null when there is no last start to count from.
     */
    public static Instant nextDue(String schedule, Instant lastStart) {
        if (lastStart == null) {
            return null;
        }
        if (schedule.strip().startsWith("P")) {
            Duration d = duration(schedule);
            return d == null ? null : lastStart.plus(d);
        }
        ZonedDateTime next = cron(schedule).nextTimeAfter(ZonedDateTime.ofInstant(lastStart, ZoneOffset.UTC));
        return next == null ? null : next.toInstant();
    }

    private static CronExpression cron(String text) {
        String[] fields = text.strip().split("\\s+");
        if (fields.length != 5 && fields.length != 6) {
            throw new IllegalArgumentException("5 or 6 fields expected, got " + fields.length);
        }
        return CronExpression.create(fields.length == 5 ? "0 " + text.strip() : text.strip());
    }
}
