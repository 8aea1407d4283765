package io.waymark.catalog.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.audit.AuditFilter;
import io.waymark.catalog.auth.Caller;
import io.waymark.catalog.auth.Roles;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.waymark.catalog.api.JsonView.F;

/** Signed compliance audit reports ({@code /api/v1/reports/…}), the register of issued reports, and the public key that verifies them. */
@Controller("/api/v1/reports")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.AUDITOR)
public class ReportController {
    private final ReportService reports;

    public ReportController(ReportService reports) {
        this.reports = reports;
    }

    @Get(value = "/public-key", produces = "application/x-pem-file")
    @Secured(SecurityRule.IS_ANONYMOUS)
    public String publicKey() {
        return reports.publicKeyPem();
    }

    /** The register of issued reports, newest first; {@code seq} picks one, with its manifest. */
    @Get
    public HttpResponse<?> register(@Nullable @QueryValue Long seq, @QueryValue(defaultValue = "100") int limit) {
        ArrayNode list = F.arrayNode();
        if (seq != null) {
            reports.bySeq(seq).ifPresent(r -> add(list, r).put("manifest", r.manifest()));
        } else {
            reports.recent(Math.max(1, Math.min(limit, 1000))).forEach(r -> add(list, r));
        }
        ObjectNode body = F.objectNode();
        body.set("reports", list);
        return JsonView.ok(body);
    }

    @Get("/{regulation}")
    public HttpResponse<?> export(HttpRequest<?> request, @PathVariable String regulation, @QueryValue(defaultValue = "pdf") String format,
                                  @Nullable @QueryValue String asOf) {
        if (!ReportService.REGULATIONS.contains(regulation)) {
            return JsonView.badRequest("regulation", "regulation must be one of GDPR, HIPAA, SOX, PCI-DSS or ALL");
        }
        if (!ReportService.FORMATS.contains(format)) {
            return JsonView.badRequest("format", "format must be pdf, csv or json");
        }
        Instant at = null;
        if (asOf != null) {
            try {
                at = OffsetDateTime.parse(asOf).toInstant();
            } catch (DateTimeParseException e) {
                return JsonView.badRequest("asOf", "asOf must be a date-time with an offset, e.g. 2026-06-30T23:59:59Z");
            }
            if (at.isAfter(Instant.now())) {
                return JsonView.badRequest("asOf", "asOf must not be in the future");
            }
        }
        Caller caller = Caller.of(request);
        ReportService.Issued issued = reports.issue(regulation, format, at, caller.name() + " (" + caller.role() + ")");
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("format", format);
        detail.put("asOf", asOf);
        detail.put("seq", issued.seq());
        detail.put("manifestSha256", issued.manifestSha256());
        AuditFilter.describe(request, "report.export", regulation, detail);
        return HttpResponse.ok(issued.file()).contentType(MediaType.of(issued.contentType()))
                .header("Content-Disposition", "attachment; filename=\"" + issued.fileName() + "\"")
                .header("X-Waymark-Report-Seq", Long.toString(issued.seq()));
    }

    private static ObjectNode add(ArrayNode list, ReportRow r) {
        return list.addObject().put("seq", r.seq()).put("generatedAt", r.generatedAt()).put("generatedBy", r.generatedBy())
                .put("regulation", r.regulation()).put("format", r.format()).put("contentSha256", r.contentSha256())
                .put("manifestSha256", r.manifestSha256());
    }
}
