package io.waymark.catalog.ranger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.annotation.Order;
import io.waymark.catalog.audit.AuditLog;
import io.waymark.catalog.model.Times;
import io.waymark.catalog.projection.GraphChange;
import io.waymark.catalog.projection.GraphChangeListener;
import io.waymark.policy.ranger.RangerMapping;
import io.waymark.policy.ranger.RangerTagClient;
import io.waymark.policy.ranger.ServiceTagsBuilder;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.waymark.catalog.api.JsonView.F;

/**
 * Pushes Waymark's classifications to Apache Ranger as tags on the Hive service's columns, so
 * Ranger's tag-based masking and deny policies enforce what Waymark knows. Each sync sends the
 * whole picture ({@code op: replace}): labels that went away leave Ranger too. It runs on
 * {@code POST /api/v1/ranger/sync} and, when Ranger is configured (WAYMARK_RANGER_URL), a second
 * after a batch changed labels. Datasets no mapping rule names are not sent.
 */
@Singleton
@Order(Integer.MAX_VALUE - 1)
public class RangerSync implements GraphChangeListener {
    private static final Logger LOG = LoggerFactory.getLogger(RangerSync.class);
    private static final String LABELS = """
            MATCH (d:Dataset)-[:HAS_FIELD]->(f:Field)-[r:CLASSIFIED_AS]->(c:Classification)
            WHERE NOT coalesce(d.deleted, false) AND r.status IN ['ACTIVE', 'CONFIRMED', 'DETECTED']
              AND NOT EXISTS { (f)-[:CLASSIFIED_AS {status: 'SUPPRESSED'}]->(c) }
            RETURN d.namespace AS namespace, d.name AS dataset, f.name AS field, c.code AS code,
                   coalesce(r.protection, 'CLEAR') AS protection, coalesce(r.source, 'UNKNOWN') AS source
            ORDER BY namespace, dataset, field, code""";

    private final Driver driver;
    private final AuditLog audit;
    private final String url;
    private final String user;
    private final String password;
    private final String service;
    private final RangerMapping mapping;
    private volatile boolean closed;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "waymark-ranger-sync");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile Map<String, Object> last = Map.of("state", "never synced");

    public RangerSync(Driver driver, AuditLog audit, @Nullable @Value("${waymark.ranger.url:}") String url,
                      @Value("${waymark.ranger.user:admin}") String user, @Value("${waymark.ranger.password:}") String password,
                      @Value("${waymark.ranger.service:hive}") String service, @Nullable @Value("${waymark.ranger.mapping:}") String mapping) {
        this.driver = driver;
        this.audit = audit;
        this.url = url == null || url.isBlank() ? null : url.strip();
        this.user = user;
        this.password = password;
        this.service = service;
        // A bad mapping fails start-up, not the first sync.
        this.mapping = RangerMapping.parse(mapping);
    }

    public boolean configured() {
        return url != null;
    }

    /** The ServiceTags document a sync would send now. */
    public ObjectNode payload() {
        List<ServiceTagsBuilder.ColumnLabel> labels = new ArrayList<>();
        try (Session session = driver.session()) {
            session.executeRead(tx -> {
                tx.run(LABELS).stream().forEach(r -> mapping.resource(r.get("namespace").asString(), r.get("dataset").asString())
                        // A nested field (address.zip) is guarded through its top-level column: Hive has no resource below it.
                        .ifPresent(table -> labels.add(new ServiceTagsBuilder.ColumnLabel(table, r.get("field").asString().split("\\.")[0],
                                r.get("code").asString(), r.get("protection").asString(), r.get("source").asString()))));
                return null;
            });
        }
        return ServiceTagsBuilder.build(service, "replace", labels);
    }

    /** Sends the whole picture to Ranger now; the result says what was sent, or why it failed. */
    public synchronized Map<String, Object> sync(String actor, String role, String remote) {
        if (url == null) {
            throw new IllegalStateException("Ranger is not configured: set WAYMARK_RANGER_URL, WAYMARK_RANGER_USER, WAYMARK_RANGER_PASSWORD and WAYMARK_RANGER_SERVICE");
        }
        ObjectNode doc = payload();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("at", Times.format(Instant.now()));
        result.put("service", service);
        result.put("resources", doc.path("serviceResources").size());
        result.put("tags", doc.path("tags").size());
        try {
            result.put("status", new RangerTagClient(url, user, password).importServiceTags(doc));
            result.put("state", "synced");
        } catch (IOException e) {
            result.put("state", "failed");
            result.put("error", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.put("state", "failed");
            result.put("error", "interrupted");
        }
        last = result;
        audit.record(new AuditLog.Entry(actor, role, "ranger.sync", service, result, remote));
        if ("failed".equals(result.get("state"))) {
            LOG.warn("Ranger tag sync to {} failed: {}", url, result.get("error"));
        }
        return result;
    }

    public Map<String, Object> lastSync() {
        return last;
    }

    @Override
    public void changed(GraphChange change) {
        if (change.labelInputs() || change.uncoveredWrites()) {
            scheduleSync();
        }
    }

    /** After start-up or a rebuild Ranger gets the whole picture again. */
    @Override
    public void reset() {
        scheduleSync();
    }

    /** Gathers the label changes of a second into one sync. */
    private void scheduleSync() {
        if (url != null && scheduled.compareAndSet(false, true)) {
            scheduler.schedule(() -> {
                scheduled.set(false);
                if (closed) {
                    return;
                }
                try {
                    sync("waymark", null, null);
                } catch (RuntimeException e) {
                    LOG.warn("Ranger tag sync failed", e);
                }
            }, 1, TimeUnit.SECONDS);
        }
    }

    @PreDestroy
    void close() throws InterruptedException {
        // A sync in progress reads the graph: let it end before the driver closes; the ones not begun see closed.
        closed = true;
        scheduler.shutdown();
        if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
            scheduler.shutdownNow();
        }
    }

    /** What GET on the sync endpoint shows: configuration (never the password) and the last result. */
    public ObjectNode status() {
        ObjectNode body = F.objectNode().put("configured", url != null).put("url", url).put("user", user).put("service", service);
        body.set("lastSync", io.waymark.catalog.ingest.Json.STRICT.valueToTree(last));
        return body;
    }
}
