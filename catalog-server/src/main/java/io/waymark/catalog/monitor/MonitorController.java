package io.waymark.catalog.monitor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.audit.AuditFilter;
import io.waymark.catalog.auth.Roles;
import io.waymark.catalog.model.NodeId;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.waymark.catalog.api.JsonView.F;

/**
 * {@code /api/v1/monitor}: jobs by state with their run statistics, one job with its run-duration
 * history, the freshness board, and a check on demand.
 */
@Controller("/api/v1/monitor")
@ExecuteOn(TaskExecutors.BLOCKING)
public class MonitorController {
    private static final Set<String> STATES = Set.of("OK", "FAILING", "STUCK", "LATE");
    private static final Map<String, Integer> ORDER = Map.of("STUCK", 0, "FAILING", 1, "LATE", 2, "OK", 3);

    private final Monitor monitor;

    public MonitorController(Monitor monitor) {
        this.monitor = monitor;
    }

    @Get("/jobs")
    @Secured(Roles.VIEWER)
    public HttpResponse<?> jobs(@Nullable @QueryValue String state, @Nullable @QueryValue String namespace,
                                @Nullable @QueryValue String limit, @Nullable @QueryValue String offset) {
        if (state != null && !STATES.contains(state)) {
            return JsonView.badRequest("state", "state is one of OK, FAILING, STUCK, LATE");
        }
        io.waymark.catalog.api.Paging page = io.waymark.catalog.api.Paging.of(limit, offset, 100);
        if (page == null) {
            return JsonView.badRequest(null, io.waymark.catalog.api.Paging.RULE);
        }
        List<JobStates.Health> jobs = monitor.jobs().stream()
                .filter(j -> state == null || j.state().equals(state)).filter(j -> namespace == null || j.namespace().equals(namespace))
                .sorted(Comparator.comparing((JobStates.Health j) -> ORDER.get(j.state())).thenComparing(JobStates.Health::namespace)
                        .thenComparing(JobStates.Health::name))
                .toList();
        ArrayNode list = F.arrayNode();
        jobs.stream().skip(page.offset()).limit(page.limit()).forEach(j -> list.add(view(j, false)));
        ObjectNode body = F.objectNode();
        body.set("jobs", list);
        body.put("totalCount", jobs.size());
        return JsonView.ok(body);
    }

    @Get("/jobs/{namespace}/{name}")
    @Secured(Roles.VIEWER)
    public HttpResponse<?> job(@PathVariable String namespace, @PathVariable String name) {
        return monitor.job(NodeId.job(namespace, name)).<HttpResponse<?>>map(j -> JsonView.ok(view(j, true)))
                .orElseGet(() -> JsonView.notFound("job '" + namespace + "/" + name + "' with runs"));
    }

    @Get("/datasets")
    @Secured(Roles.VIEWER)
    public HttpResponse<?> freshness(@Nullable @QueryValue String namespace) {
        ArrayNode list = F.arrayNode();
        monitor.freshness().stream().filter(f -> namespace == null || f.namespace().equals(namespace))
                .sorted(Comparator.comparing((DatasetHealth.Freshness f) -> !f.stale()).thenComparing(DatasetHealth.Freshness::namespace)
                        .thenComparing(DatasetHealth.Freshness::name))
                .forEach(f -> list.addObject().put("namespace", f.namespace()).put("name", f.name()).put("freshnessSla", f.sla())
                        .put("lastWrite", f.lastWrite() == null ? null : f.lastWrite().toString())
                        .put("lagSeconds", f.lagMs() == null ? null : f.lagMs() / 1000).put("stale", f.stale()));
        ObjectNode body = F.objectNode();
        body.set("datasets", list);
        return JsonView.ok(body);
    }

    /** One dataset's freshness (when it has a freshnessSla) and its quality history, newest first. */
    @Get("/datasets/{namespace}/{name}")
    @Secured(Roles.VIEWER)
    public HttpResponse<?> dataset(@PathVariable String namespace, @PathVariable String name) {
        String key = NodeId.dataset(namespace, name);
        ObjectNode body = F.objectNode().put("namespace", namespace).put("name", name);
        monitor.freshness().stream().filter(f -> f.key().equals(key)).findFirst().ifPresent(f -> body.putObject("freshness")
                .put("freshnessSla", f.sla()).put("lastWrite", f.lastWrite() == null ? null : f.lastWrite().toString())
                .put("lagSeconds", f.lagMs() == null ? null : f.lagMs() / 1000).put("stale", f.stale()));
        body.set("quality", io.waymark.catalog.ingest.Json.STRICT.valueToTree(monitor.qualityHistory(key)));
        return JsonView.ok(body);
    }

    /** Runs a check now (as the schedule would) and says what changed. */
    @Post("/checks")
    @Secured(Roles.ADMIN)
    @Consumes(MediaType.ALL)
    public HttpResponse<?> check(HttpRequest<?> request) {
        AuditFilter.describe(request, "monitor.check", "monitor", null);
        Monitor.Check check = monitor.check();
        ObjectNode body = F.objectNode().put("checkedAt", check.at().toString()).put("incidentsOpened", check.opened())
                .put("incidentsResolved", check.resolved());
        ObjectNode states = body.putObject("jobs");
        STATES.stream().sorted().forEach(s -> states.put(s, check.jobs().stream().filter(j -> j.state().equals(s)).count()));
        body.put("staleDatasets", check.freshness().stream().filter(DatasetHealth.Freshness::stale).count());
        ObjectNode millis = body.putObject("millis");
        check.millis().forEach(millis::put);
        return JsonView.ok(body);
    }

    static ObjectNode view(JobStates.Health j, boolean history) {
        ObjectNode node = F.objectNode().put("namespace", j.namespace()).put("name", j.name()).put("state", j.state()).put("reason", j.reason())
                .put("p50DurationMs", j.p50Ms()).put("p95DurationMs", j.p95Ms()).put("successRate", j.successRate())
                .put("cadenceMs", j.cadenceMs()).put("expectedBy", j.expectedBy() == null ? null : j.expectedBy().toString())
                .put("tier", j.tier()).put("owner", j.owner());
        JobStates.Run latest = j.runs().get(0);
        node.set("latestRun", run(latest));
        if (history) {
            ArrayNode runs = node.putArray("runs");
            j.runs().forEach(r -> runs.add(run(r)));
        }
        return node;
    }

    private static ObjectNode run(JobStates.Run r) {
        return F.objectNode().put("id", r.id()).put("state", r.state()).put("startedAt", r.start() == null ? null : r.start().toString())
                .put("endedAt", r.end() == null ? null : r.end().toString()).put("durationMs", r.durationMs());
    }
}
