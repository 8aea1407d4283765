package io.waymark.catalog.ops;

import io.micronaut.core.annotation.NonBlocking;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.waymark.catalog.api.HttpWarmup;
import io.waymark.catalog.cluster.Leadership;
import io.waymark.catalog.compliance.ContinuousCompliance;
import io.waymark.catalog.journal.DiskSpace;
import io.waymark.catalog.journal.Journal;
import io.waymark.catalog.kafka.KafkaIngest;
import io.waymark.catalog.projection.Projector;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /health}: no executor hand-off and no query, so it answers at once however busy the server is. */
@Controller
public class HealthController {
    private final HealthProbe probe;
    private final Journal journal;
    private final Projector projector;
    private final ContinuousCompliance compliance;
    private final DiskSpace disk;

    private final Leadership leadership;
    private final KafkaIngest kafka;
    private final HttpWarmup warmup;

    public HealthController(HealthProbe probe, Journal journal, Projector projector, ContinuousCompliance compliance, DiskSpace disk,
                            Leadership leadership, KafkaIngest kafka, HttpWarmup warmup) {
        this.kafka = kafka;
        this.warmup = warmup;
        this.leadership = leadership;
        this.probe = probe;
        this.journal = journal;
        this.projector = projector;
        this.compliance = compliance;
        this.disk = disk;
    }

    /**
     * Answered from memory on the event loop: the graph and journal checks run in the background
     * ({@link HealthProbe}); the lag takes the journal position this process last committed, so a
     * client that posted and then asks sees its own events in it.
     */
    @Get("/health")
    @Secured(SecurityRule.IS_ANONYMOUS)
    @NonBlocking
    public HttpResponse<Map<String, Object>> health() {
        Map<String, Object> body = new LinkedHashMap<>();
        HealthProbe.Checks checks = probe.current();
        boolean up = checks.graphDown() == null && checks.journalDown() == null;
        body.put("graph", checks.graphDown() == null ? "UP" : "DOWN: " + checks.graphDown());
        if (checks.journalDown() == null) {
            body.put("journal", "UP");
            body.put("projectionLag", Math.max(0, Math.max(checks.maxId(), journal.position()) - projector.watermark()));
            // Set aside because they fail on their own: kept in the journal database, so counted across restarts.
            body.put("projectionErrors", projector.errorCount());
            String stalled = projector.stalled();
            if (stalled != null) {
                body.put("projectionStalled", stalled);
            }
        } else {
            body.put("journal", "DOWN: " + checks.journalDown());
        }
        body.put("complianceBusy", compliance.busy());
        String shortage = disk.shortage();
        // Reads go on: the service is up, but writes are refused until space is freed.
        body.put("disk", shortage == null ? "OK" : "LOW: " + shortage + "; writes answer 507");
        // UP means events are accepted and projected at speed (the projection statements were planned
        // before the server listened). The rule pack is planned and first evaluated in the background:
        // until then findings are not current, which is said here rather than holding the whole server back.
        // Compliance runs on the leader: a follower has nothing of it warming.
        List<String> warming = new java.util.ArrayList<>();
        if (warmup.running()) {
            warming.add("http");
        }
        if (!compliance.started() && leadership.isLeader()) {
            warming.add("compliance");
        }
        if (!warming.isEmpty()) {
            body.put("warming", warming);
        }
        // single (SQLite journal), or leader/follower among replicas sharing a PostgreSQL journal.
        body.put("role", leadership.role());
        // Said, not counted in status: HTTP ingest and reads go on without the broker, and the consumer reconnects by itself.
        if (kafka.enabled()) {
            body.put("kafka", kafka.status());
        }
        body.put("status", up ? "UP" : "DOWN");
        return up ? HttpResponse.ok(body) : HttpResponse.<Map<String, Object>>status(HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }
}
