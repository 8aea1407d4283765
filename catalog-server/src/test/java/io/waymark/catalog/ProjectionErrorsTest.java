package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.waymark.catalog.journal.Journal;
import io.waymark.catalog.journal.NewEvent;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An event that fails on its own is set aside without holding up the events after it, stays
 * visible (health, metrics, an admin's list) and applies once it can (retry).
 */
class ProjectionErrorsTest {
    private final TestServer server = TestServer.get();

    @Test
    void anUnreadableEventIsSetAsideListedAndRetried() throws Exception {
        String ns = Events.ns();
        long errorsBefore = server.getJson("/health").path("projectionErrors").asLong();
        server.postJson("/api/v1/lineage", Events.complete(ns, "before", new String[] {"a"}, new String[] {"b"}, "2025-01-01T00:00:00Z").toString());
        // A journal row the projection cannot read (as an event a Waymark bug could not read would be).
        Journal journal = server.context.getBean(Journal.class);
        String hash = "test-poison-" + UUID.randomUUID();
        String runId = UUID.randomUUID().toString();
        journal.append(List.of(new NewEvent("2025-01-01T00:00:01Z", "2025-01-01T00:00:01Z", "RUN", "COMPLETE", runId, ns, "broken", hash,
                "{\"eventType\": \"COMPLETE\", \"run\": ", null))).get();
        long id = journal.jdbi().withHandle(h -> h.createQuery("SELECT id FROM lineage_event WHERE content_hash = :h").bind("h", hash).mapTo(Long.class).one());
        server.postJson("/api/v1/lineage", Events.complete(ns, "after", new String[] {"b"}, new String[] {"c"}, "2025-01-01T00:00:02Z").toString());
        server.awaitProjection();

        assertEquals(200, server.get("/api/v1/namespaces/" + ns + "/jobs/after").statusCode(), "the events after it were applied");
        assertEquals(errorsBefore + 1, server.getJson("/health").path("projectionErrors").asLong());
        assertTrue(server.get("/metrics").body().lines().anyMatch(l -> l.matches("waymark_projection_errors_pending(\\{[^}]*})? " + (errorsBefore + 1) + "\\.0")),
                "the metric counts what the journal database holds");
        JsonNode listed = listed(id);
        assertEquals("broken", listed.path("jobName").asText());
        assertEquals(runId, listed.path("runId").asText());
        assertTrue(listed.path("error").asText().contains("cannot read journal event " + id), listed.toString());
        String viewer = server.token("projection-viewer", "viewer");
        assertEquals(403, server.send(HttpRequest.newBuilder(URI.create(server.url("/api/v1/projection/errors")))
                .header("Authorization", "Bearer " + viewer).GET().build()).statusCode(), "an admin's list");

        JsonNode stillBroken = TestServer.parse(server.post("/api/v1/projection/errors/retry", new byte[0]).body());
        assertTrue(stillBroken.path("stillFailing").asInt() >= 1, stillBroken.toString());
        assertFalse(listed(id).isMissingNode(), "a retry that fails again keeps it");

        // What a fixed Waymark would read: the event as it should have been.
        String fixed = Events.complete(ns, "broken", new String[] {"c"}, new String[] {"d"}, "2025-01-01T00:00:01Z")
                .put("run", (String) null).toString().replace("\"run\":null", "\"run\":{\"runId\":\"" + runId + "\"}");
        journal.jdbi().useHandle(h -> h.createUpdate("UPDATE lineage_event SET payload = :p WHERE id = :id").bind("p", fixed).bind("id", id).execute());
        JsonNode retried = TestServer.parse(server.post("/api/v1/projection/errors/retry", new byte[0]).body());
        assertTrue(retried.path("projected").asInt() >= 1, retried.toString());
        assertTrue(listed(id).isMissingNode(), "a retried event leaves the list");
        assertEquals(200, server.get("/api/v1/jobs/runs/" + runId).statusCode(), "and is in the graph");
        assertEquals(errorsBefore, server.getJson("/health").path("projectionErrors").asLong());
        assertTrue(server.getJson("/api/v1/audit-log?action=projection.retry&limit=5").path("entries").size() >= 2, "retries are audited");
    }

    private JsonNode listed(long id) {
        for (JsonNode e : server.getJson("/api/v1/projection/errors?limit=1000").path("errors")) {
            if (e.path("eventId").asLong() == id) {
                return e;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
