package io.waymark.catalog.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waymark.catalog.journal.HourCount;
import io.waymark.catalog.journal.Journal;
import io.waymark.catalog.model.Times;
import jakarta.inject.Singleton;
import org.neo4j.driver.Record;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.waymark.catalog.api.JsonView.F;

/**
 * Marquez's dashboard statistics: run events by type, and how many jobs, datasets and sources
 * there were, over the last day (24 hours, UTC) or the last week (7 days in the caller's time zone).
 * Events count by their event time, assets by when they were first seen; asset counts are
 * cumulative (everything created before the end of each interval), as Marquez's are.
 */
@Singleton
public class StatsService {
    public enum Period { DAY, WEEK }

    /** When each asset was first seen; a source when its first dataset was. */
    private static final Map<String, String> CREATED = Map.of(
            "jobs", "MATCH (n:Job) WHERE n.createdAt IS NOT NULL AND NOT coalesce(n.deleted, false) WITH n.createdAt AS at",
            "datasets", "MATCH (n:Dataset) WHERE n.createdAt IS NOT NULL AND NOT coalesce(n.deleted, false) WITH n.createdAt AS at",
            "sources", """
                    MATCH (n:Dataset) WHERE n.createdAt IS NOT NULL AND NOT coalesce(n.deleted, false)
                    WITH coalesce(n.sourceName, 'default') AS source, min(n.createdAt) AS at""");
    /** Counted in the database: how many came before the period, and the times of those within it. */
    private static final String COUNTS = """
            
            RETURN count(CASE WHEN at < $from THEN 1 END) AS before, collect(CASE WHEN at >= $from THEN at END) AS recent""";

    private final Journal journal;
    private final CatalogService catalog;
    private final Clock clock;

    public StatsService(Journal journal, CatalogService catalog) {
        this(journal, catalog, Clock.systemUTC());
    }

    StatsService(Journal journal, CatalogService catalog, Clock clock) {
        this.journal = journal;
        this.catalog = catalog;
        this.clock = clock;
    }

    public static boolean isAsset(String asset) {
        return CREATED.containsKey(asset);
    }

    /** The intervals of a period, oldest first: 24 UTC hours up to this one, or 7 local days up to today. */
    List<ZonedDateTime> starts(Period period, ZoneId zone) {
        List<ZonedDateTime> starts = new ArrayList<>();
        if (period == Period.DAY) {
            ZonedDateTime hour = ZonedDateTime.now(clock).withZoneSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS);
            for (int i = 23; i >= 0; i--) {
                starts.add(hour.minusHours(i));
            }
        } else {
            ZonedDateTime day = ZonedDateTime.now(clock).withZoneSameInstant(zone).truncatedTo(ChronoUnit.DAYS);
            for (int i = 6; i >= 0; i--) {
                starts.add(day.minusDays(i));
            }
        }
        return starts;
    }

    private static ZonedDateTime end(Period period, ZonedDateTime start) {
        return period == Period.DAY ? start.plusHours(1) : start.plusDays(1);
    }

    public ArrayNode lineageEvents(Period period, ZoneId zone) {
        List<ZonedDateTime> starts = starts(period, zone);
        ZonedDateTime last = end(period, starts.get(starts.size() - 1));
        List<HourCount> hours = journal.read(dao -> dao.eventsByHour(Times.format(starts.get(0).toInstant()), Times.format(last.toInstant())));
        ArrayNode list = F.arrayNode();
        for (ZonedDateTime start : starts) {
            ZonedDateTime end = end(period, start);
            ObjectNode bucket = interval(start, end).put("fail", 0).put("start", 0).put("complete", 0).put("abort", 0);
            for (HourCount h : hours) {
                Instant at = Instant.parse(h.hour() + ":00:00Z");
                String type = h.type() == null ? "" : h.type().toLowerCase(Locale.ROOT);
                if (!at.isBefore(start.toInstant()) && at.isBefore(end.toInstant()) && bucket.has(type)) {
                    bucket.put(type, bucket.get(type).asLong() + h.count());
                }
            }
            list.add(bucket);
        }
        return list;
    }

    public ArrayNode assets(String asset, Period period, ZoneId zone) {
        List<ZonedDateTime> starts = starts(period, zone);
        Record counts = catalog.read(CREATED.get(asset) + COUNTS, Map.of("from", starts.get(0))).get(0);
        long before = counts.get("before").asLong();
        List<Instant> recent = counts.get("recent").asList(v -> v.asZonedDateTime().toInstant());
        ArrayNode list = F.arrayNode();
        for (ZonedDateTime start : starts) {
            ZonedDateTime end = end(period, start);
            long count = before + recent.stream().filter(at -> at.isBefore(end.toInstant())).count();
            list.add(interval(start, end).put("count", count));
        }
        return list;
    }

    private static ObjectNode interval(ZonedDateTime start, ZonedDateTime end) {
        return F.objectNode().put("startInterval", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(start))
                .put("endInterval", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(end));
    }
}
