package io.waymark.catalog.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.auth.Roles;
import io.waymark.catalog.model.Times;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import static io.waymark.catalog.api.JsonView.F;

/** {@code GET /api/v1/audit-log}: the audit trail for auditors and admins, newest first, and a check of its hash chain. */
@Controller("/api/v1/audit-log")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.AUDITOR)
public class AuditController {
    private final AuditLog audit;

    public AuditController(AuditLog audit) {
        this.audit = audit;
    }

    @Get
    public HttpResponse<?> entries(@Nullable @QueryValue String since, @Nullable @QueryValue String actor,
                                   @Nullable @QueryValue String action, @Nullable @QueryValue Long before,
                                   @QueryValue(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            return JsonView.badRequest("limit", "limit must be between 1 and 1000");
        }
        String from = null;
        if (since != null) {
            try {
                from = Times.format(OffsetDateTime.parse(since).toInstant());
            } catch (DateTimeParseException e) {
                return JsonView.badRequest("since", "since must be a date-time with an offset, e.g. 2026-01-31T00:00:00Z");
            }
        }
        ArrayNode entries = F.arrayNode();
        for (AuditRow r : audit.find(from, actor, action, before, limit)) {
            ObjectNode e = entries.addObject().put("seq", r.seq()).put("at", r.at()).put("actor", r.actor()).put("role", r.role())
                    .put("action", r.action()).put("target", r.target()).put("remote", r.remote()).put("hash", r.hash());
            e.set("detail", r.detail() == null ? F.objectNode() : JsonView.parse(r.detail()));
        }
        ObjectNode body = F.objectNode();
        body.set("entries", entries);
        return JsonView.ok(body);
    }

    /** Recomputes the whole chain: {entries, valid, brokenAt, head, problem, checkpoint}; checkpoint when retention removed older entries. */
    @Get("/verification")
    public HttpResponse<?> verify() {
        AuditLog.Verification v = audit.verify();
        com.fasterxml.jackson.databind.node.ObjectNode body = F.objectNode().put("entries", v.entries()).put("valid", v.valid())
                .put("brokenAt", v.brokenAt()).put("head", v.head()).put("problem", v.problem());
        if (v.from() != null) {
            body.set("checkpoint", checkpoint(v.from()));
        }
        return JsonView.ok(body);
    }

    /** The signed checkpoints retention left where it removed old entries, oldest first. */
    @Get("/checkpoints")
    public HttpResponse<?> checkpoints() {
        com.fasterxml.jackson.databind.node.ArrayNode list = F.arrayNode();
        audit.checkpoints().forEach(c -> list.add(checkpoint(c)));
        return JsonView.ok(F.objectNode().set("checkpoints", list));
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode checkpoint(AuditLog.Checkpoint c) {
        return F.objectNode().put("seq", c.seq()).put("hash", c.hash()).put("entryAt", c.entryAt()).put("createdAt", c.createdAt())
                .put("deleted", c.deleted()).put("keyId", c.keyId()).put("signature", c.signature());
    }
}
