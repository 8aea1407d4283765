package io.waymark.catalog.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.waymark.catalog.auth.Roles;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;

/** {@code /api/v1/stats/…}: the counts behind Marquez's dashboard. */
@Controller("/api/v1/stats")
@Secured(Roles.VIEWER)
@ExecuteOn(TaskExecutors.BLOCKING)
@ReadTurn
public class StatsController {
    private final StatsService stats;

    public StatsController(StatsService stats) {
        this.stats = stats;
    }

    @Get("/lineage-events")
    public HttpResponse<?> lineageEvents(@Nullable @QueryValue String period, @Nullable @QueryValue String timezone) {
        return answer("lineage-events", period, timezone);
    }

    @Get("/{asset}")
    public HttpResponse<?> assets(@PathVariable String asset, @Nullable @QueryValue String period, @Nullable @QueryValue String timezone) {
        if (!StatsService.isAsset(asset)) {
            return JsonView.notFound("statistics of '" + asset + "' (there are lineage-events, jobs, datasets and sources)");
        }
        return answer(asset, period, timezone);
    }

    private HttpResponse<?> answer(String asset, String period, String timezone) {
        StatsService.Period p;
        try {
            p = StatsService.Period.valueOf(period == null ? "DAY" : period.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return JsonView.badRequest("period", "period must be DAY or WEEK");
        }
        ZoneId zone;
        try {
            zone = timezone == null || timezone.isBlank() ? ZoneOffset.UTC : ZoneId.of(timezone);
        } catch (DateTimeException e) {
            return JsonView.badRequest("timezone", "timezone must be an IANA time zone such as Europe/Berlin: " + e.getMessage());
        }
        return JsonView.ok(asset.equals("lineage-events") ? stats.lineageEvents(p, zone) : stats.assets(asset, p, zone));
    }
}
