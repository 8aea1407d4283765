package io.waymark.catalog.compliance;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.waymark.catalog.api.JsonView;

import java.util.Set;

/** The rule pack, evaluations and findings: {@code /api/v1/compliance/…}. */
@Controller("/api/v1/compliance")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ComplianceController {
    private static final Set<String> REGULATIONS = Set.of("GDPR", "HIPAA", "SOX", "PCI-DSS");
    private static final Set<String> SEVERITIES = Set.of("critical", "high", "medium", "low", "info");
    private static final Set<String> OUTCOMES = Set.of("FAIL", "UNKNOWN", "EXCEPTED");

    private final ComplianceService compliance;

    public ComplianceController(ComplianceService compliance) {
        this.compliance = compliance;
    }

    @Get("/rules")
    public HttpResponse<String> rules() {
        return JsonView.ok(compliance.rules());
    }

    @Post("/evaluations")
    public HttpResponse<String> evaluate() {
        return JsonView.ok(compliance.evaluate());
    }

    @Get("/findings")
    public HttpResponse<String> findings(@Nullable @QueryValue String regulation, @Nullable @QueryValue String severity,
                                         @Nullable @QueryValue String outcome, @Nullable @QueryValue String nodeId,
                                         @QueryValue(defaultValue = "false") boolean includeResolved,
                                         @QueryValue(defaultValue = "1000") int limit) {
        if (regulation != null && !REGULATIONS.contains(regulation)) {
            return JsonView.badRequest("regulation", "regulation must be one of " + REGULATIONS);
        }
        if (severity != null && !SEVERITIES.contains(severity)) {
            return JsonView.badRequest("severity", "severity must be one of " + SEVERITIES);
        }
        if (outcome != null && !OUTCOMES.contains(outcome)) {
            return JsonView.badRequest("outcome", "outcome must be one of " + OUTCOMES);
        }
        if (limit < 1 || limit > 10_000) {
            return JsonView.badRequest("limit", "limit must be between 1 and 10000");
        }
        return JsonView.ok(compliance.findings(regulation, severity, outcome, nodeId, includeResolved, limit));
    }
}
