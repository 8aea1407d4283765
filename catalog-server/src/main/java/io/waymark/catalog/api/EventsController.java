package io.waymark.catalog.api;

import io.micronaut.security.annotation.Secured;
import io.waymark.catalog.auth.Roles;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.waymark.catalog.journal.Journal;
import io.waymark.catalog.journal.JournalEntry;
import io.waymark.catalog.model.Times;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

import static io.waymark.catalog.api.JsonView.F;

/** {@code GET /api/v1/events/lineage}: the raw events of the journal, newest first, paged. */
@Controller("/api/v1/events/lineage")
@Secured(Roles.VIEWER)
@ExecuteOn(TaskExecutors.BLOCKING)
public class EventsController {
    private final Journal journal;

    public EventsController(Journal journal) {
        this.journal = journal;
    }

    @Get
    public HttpResponse<?> events(@Nullable @QueryValue String before, @Nullable @QueryValue String after,
                                  @QueryValue(defaultValue = "100") @Min(1) @Max(1000) int limit,
                                  @QueryValue(defaultValue = "0") @Min(0) int offset) {
        String b;
        String a;
        try {
            b = before == null ? null : Times.format(OffsetDateTime.parse(before).toInstant());
            a = after == null ? null : Times.format(OffsetDateTime.parse(after).toInstant());
        } catch (DateTimeParseException e) {
            return JsonView.badRequest(before != null ? "before" : "after", "expected an ISO date-time with offset: " + e.getMessage());
        }
        List<JournalEntry> page = journal.read(dao -> dao.page(b, a, limit, offset));
        long total = journal.read(dao -> dao.count(b, a));
        ArrayNode events = F.arrayNode();
        page.forEach(e -> events.add(JsonView.parse(e.payload())));
        ObjectNode body = F.objectNode();
        body.set("events", events);
        body.put("totalCount", total);
        return JsonView.ok(body);
    }
}
