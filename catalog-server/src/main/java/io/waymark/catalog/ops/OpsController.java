package io.waymark.catalog.ops;

import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.waymark.catalog.auth.Roles;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.waymark.catalog.compliance.ContinuousCompliance;
import io.waymark.catalog.journal.DiskSpace;
import io.waymark.catalog.journal.Journal;
import io.waymark.catalog.projection.Projector;
import org.neo4j.driver.Driver;
import org.neo4j.driver.TransactionConfig;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Health, Prometheus metrics and the OpenAPI document. */
@Controller
@Secured(Roles.VIEWER)
@ExecuteOn(TaskExecutors.BLOCKING)
public class OpsController {
    private final Driver driver;
    private final Journal journal;
    private final Projector projector;
    private final Metrics metrics;
    private final ContinuousCompliance compliance;
    private final DiskSpace disk;

    public OpsController(Driver driver, Journal journal, Projector projector, Metrics metrics, ContinuousCompliance compliance, DiskSpace disk) {
        this.disk = disk;
        this.driver = driver;
        this.journal = journal;
        this.projector = projector;
        this.metrics = metrics;
        this.compliance = compliance;
    }

    @Get("/health")
    @Secured(SecurityRule.IS_ANONYMOUS)
    public HttpResponse<Map<String, Object>> health() {
        Map<String, Object> body = new LinkedHashMap<>();
        boolean up = true;
        try {
            // A query, not only a connection: a database that panicked (a full disk) still accepts logins.
            try (var session = driver.session()) {
                session.executeRead(tx -> tx.run("RETURN 1").consume(), TransactionConfig.builder().withTimeout(Duration.ofSeconds(2)).build());
            }
            body.put("graph", "UP");
        } catch (RuntimeException e) {
            body.put("graph", "DOWN: " + e.getMessage());
            up = false;
        }
        try {
            long max = journal.read(dao -> dao.maxId());
            body.put("journal", "UP");
            body.put("projectionLag", Math.max(0, max - projector.watermark()));
            // Set aside because they fail on their own: kept in the journal database, so counted across restarts.
            body.put("projectionErrors", journal.read(dao -> dao.errorCount()));
            String stalled = projector.stalled();
            if (stalled != null) {
                body.put("projectionStalled", stalled);
            }
        } catch (RuntimeException e) {
            body.put("journal", "DOWN: " + e.getMessage());
            up = false;
        }
        body.put("complianceBusy", compliance.busy());
        String shortage = disk.shortage();
        // Reads go on: the service is up, but writes are refused until space is freed.
        body.put("disk", shortage == null ? "OK" : "LOW: " + shortage + "; writes answer 507");
        // UP means events are accepted and projected at speed (the projection statements were planned
        // before the server listened). The rule pack is planned and first evaluated in the background:
        // until then findings are not current, which is said here rather than holding the whole server back.
        if (!compliance.started()) {
            body.put("warming", List.of("compliance"));
        }
        body.put("status", up ? "UP" : "DOWN");
        return up ? HttpResponse.ok(body) : HttpResponse.<Map<String, Object>>status(io.micronaut.http.HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }

    @Secured(SecurityRule.IS_ANONYMOUS)
    @Get(value = "/metrics", produces = "text/plain; version=0.0.4; charset=utf-8")
    public String metrics() {
        return metrics.scrape();
    }

    @Get(value = "/api/v1/openapi.yml", produces = "application/yaml")
    public HttpResponse<byte[]> openapi() throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("openapi/waymark.yml")) {
            if (in == null) {
                return HttpResponse.notFound();
            }
            return HttpResponse.ok(in.readAllBytes()).contentType(MediaType.of("application/yaml"));
        }
    }
}
