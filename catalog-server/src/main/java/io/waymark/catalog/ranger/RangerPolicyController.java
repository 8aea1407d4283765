package io.waymark.catalog.ranger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.audit.AuditFilter;
import io.waymark.catalog.auth.Roles;
import io.waymark.catalog.ingest.Json;
import io.waymark.policy.ranger.DefaultPolicies;
import io.waymark.policy.ranger.RangerPolicyClient;
import io.waymark.policy.taxonomy.Classification;
import io.waymark.policy.taxonomy.Taxonomy;
import org.apache.ranger.plugin.model.RangerPolicy;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/ranger/policies}: the default tag-based policies (mask PII, deny PCI.SAD)
 * for Ranger's tag service, as RangerPolicy documents. A dry run (the default) shows them; applying
 * them needs {@code WAYMARK_RANGER_POLICIES_ENABLED=true}, since they change what Ranger enforces
 * for everyone, and creates or updates each through Ranger Admin's public REST API v2.
 */
@Controller("/api/v1/ranger/policies")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.ADMIN)
public class RangerPolicyController {
    private final Taxonomy taxonomy;
    private final String url;
    private final String user;
    private final String password;
    private final String tagService;
    private final boolean enabled;

    public RangerPolicyController(Taxonomy taxonomy, @Nullable @Value("${waymark.ranger.url:}") String url,
                                  @Value("${waymark.ranger.user:admin}") String user, @Value("${waymark.ranger.password:}") String password,
                                  @Value("${waymark.ranger.tag-service:tags}") String tagService,
                                  @Value("${waymark.ranger.policies-enabled:false}") boolean enabled) {
        this.taxonomy = taxonomy;
        this.url = url == null || url.isBlank() ? null : url.strip();
        this.user = user;
        this.password = password;
        this.tagService = tagService;
        this.enabled = enabled;
    }

    @Post
    public HttpResponse<?> policies(HttpRequest<?> request, @QueryValue(defaultValue = "true") boolean dryRun) {
        List<RangerPolicy> policies = DefaultPolicies.build(tagService, taxonomy.all().stream().map(Classification::code).toList());
        ArrayNode documents = Json.STRICT.valueToTree(policies);
        ObjectNode body = JsonView.F.objectNode().put("tagService", tagService).put("dryRun", dryRun).put("enabled", enabled);
        body.set("policies", documents);
        if (dryRun) {
            AuditFilter.describe(request, "ranger.policies-dry-run", tagService, null);
            return JsonView.ok(body);
        }
        if (!enabled || url == null) {
            return JsonView.error(HttpStatus.CONFLICT, "ranger_policies_disabled", null,
                    "applying Ranger policies needs WAYMARK_RANGER_POLICIES_ENABLED=true and WAYMARK_RANGER_URL; dryRun=true shows them");
        }
        Map<String, Object> outcome = new LinkedHashMap<>();
        RangerPolicyClient client = new RangerPolicyClient(url, user, password);
        try {
            for (RangerPolicy policy : policies) {
                outcome.put(policy.getName(), client.upsert(policy));
            }
        } catch (IOException e) {
            outcome.put("error", e.getMessage());
            AuditFilter.describe(request, "ranger.policies", tagService, outcome);
            return JsonView.error(HttpStatus.BAD_GATEWAY, "ranger_refused", null, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return JsonView.error(HttpStatus.SERVICE_UNAVAILABLE, "interrupted", null, "interrupted while talking to Ranger");
        }
        AuditFilter.describe(request, "ranger.policies", tagService, outcome);
        body.set("applied", Json.STRICT.valueToTree(outcome));
        return JsonView.ok(body);
    }
}
