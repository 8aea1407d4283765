package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static io.waymark.catalog.TestServer.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Marquez's catalog writes: namespaces, tag definitions, tags on datasets, fields and jobs. */
class CatalogEditTest {
    private final TestServer server = TestServer.get();

    private HttpResponse<String> send(String method, String path, String body) {
        return server.send(HttpRequest.newBuilder(URI.create(server.url(path))).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void namespacesCanBeOwnedDescribedAndDeleted() {
        String ns = Events.ns();
        server.postJson("/api/v1/lineage", Events.complete(ns, "job", new String[] {}, new String[] {"t"}, "2025-01-01T00:00:00Z").toString());
        server.awaitProjection();
        HttpResponse<String> put = send("PUT", "/api/v1/namespaces/" + ns, "{\"ownerName\": \"team-finance\", \"description\": \"ledgers\"}");
        assertEquals(200, put.statusCode(), put.body());
        JsonNode namespace = server.getJson("/api/v1/namespaces/" + ns);
        assertEquals("team-finance", namespace.path("ownerName").asText());
        assertEquals("ledgers", namespace.path("description").asText());

        assertEquals(200, send("DELETE", "/api/v1/namespaces/" + ns, null).statusCode());
        assertTrue(server.getJson("/api/v1/namespaces/" + ns).path("isHidden").asBoolean());
        assertFalse(server.getJson("/api/v1/namespaces?limit=10000").toString().contains("\"" + ns + "\""), "hidden from the list");
        assertTrue(server.getJson("/api/v1/namespaces/" + ns + "/datasets/t").path("deleted").asBoolean(), "its datasets are deleted with it");
        // The next event in it brings it back.
        server.postJson("/api/v1/lineage", Events.complete(ns, "job", new String[] {}, new String[] {"t"}, "2025-01-02T00:00:00Z").toString());
        server.awaitProjection();
        assertFalse(server.getJson("/api/v1/namespaces/" + ns).path("isHidden").asBoolean());
        assertEquals(404, send("DELETE", "/api/v1/namespaces/" + Events.ns(), null).statusCode());
    }

    @Test
    void tagsOnDatasetsFieldsAndJobs() {
        String ns = Events.ns();
        ObjectNode event = Events.complete(ns, "load", new String[] {}, new String[] {}, "2025-01-01T00:00:00Z");
        ObjectNode out = Events.dataset(ns, "customers");
        ObjectNode facets = out.putObject("facets");
        facets.putObject("schema").putArray("fields").addObject().put("name", "email").put("type", "string");
        facets.putObject("tags").putArray("tags").addObject().put("key", "from-producer").put("value", "true");
        ((ArrayNode) event.get("outputs")).add(out);
        server.postJson("/api/v1/lineage", event.toString());
        server.awaitProjection();
        String dataset = "/api/v1/namespaces/" + ns + "/datasets/customers";

        JsonNode defined = TestServer.parse(send("PUT", "/api/v1/tags/GOLD", "{\"description\": \"a curated table\"}").body());
        assertEquals("a curated table", defined.path("description").asText());
        assertTrue(server.getJson("/api/v1/tags?limit=10000").toString().contains("{\"name\":\"GOLD\",\"description\":\"a curated table\"}"));

        HttpResponse<String> tagged = send("POST", dataset + "/tags/GOLD", null);
        assertEquals(200, tagged.statusCode(), tagged.body());
        assertTrue(TestServer.parse(tagged.body()).path("tags").toString().contains("GOLD"));
        assertTrue(server.getJson(dataset).path("tags").toString().contains("from-producer"), server.getJson(dataset).path("tags").toString());
        JsonNode untagged = TestServer.parse(send("DELETE", dataset + "/tags/from-producer", null).body());
        assertFalse(untagged.path("tags").toString().contains("from-producer"), "a producer's tag can be removed: " + untagged.path("tags"));
        assertTrue(untagged.path("tags").toString().contains("GOLD"));

        JsonNode job = TestServer.parse(send("POST", "/api/v1/namespaces/" + ns + "/jobs/load/tags/NIGHTLY", null).body());
        assertTrue(job.path("tags").toString().contains("NIGHTLY"), job.toString());
        assertEquals(404, send("POST", "/api/v1/namespaces/" + ns + "/jobs/nope/tags/NIGHTLY", null).statusCode());

        // A field tag that names a classification code is a declared label too.
        JsonNode withField = TestServer.parse(send("POST", dataset + "/fields/email/tags/" + enc("PII.contact.email"), null).body());
        JsonNode email = withField.path("fields").get(0);
        assertTrue(email.path("tags").toString().contains("PII.contact.email"), email.toString());
        assertTrue(email.path("classifications").toString().contains("\"source\":\"DECLARED\""), email.toString());
        assertTrue(email.path("classifications").toString().contains("\"source\":\"NAME\",\"status\":\"SUPERSEDED\""),
                "the label classified on arrival gives way to the declared one: " + email);
        JsonNode removed = TestServer.parse(send("DELETE", dataset + "/fields/email/tags/" + enc("PII.contact.email"), null).body());
        String after = removed.path("fields").get(0).path("classifications").toString();
        assertFalse(after.contains("DECLARED"), removed.path("fields").toString());
        assertTrue(after.contains("\"source\":\"NAME\",\"status\":\"DETECTED\""), "and takes its own status again: " + after);

        String viewer = server.token("edits-viewer", "viewer");
        assertEquals(403, server.send(HttpRequest.newBuilder(URI.create(server.url(dataset + "/tags/GOLD")))
                .header("Authorization", "Bearer " + viewer).POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode());
        assertTrue(server.getJson("/api/v1/audit-log?action=catalog&limit=50").toString().contains("catalog.tag"));
    }
}
