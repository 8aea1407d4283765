package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Classifications reach Ranger (the local stand-in of its tag REST API) as tags on Hive columns, and leave it when removed. */
class RangerSyncTest {
    private final TestServer server = TestServer.get();
    private final RangerStandIn ranger = TestServer.ranger;

    private final String db = "sales_" + java.util.UUID.randomUUID().toString().substring(0, 8);

    /** A Hive table with an e-mail and a nested zip column, and a lake file with an e-mail: each labelled by a steward. */
    private String tables() {
        String ns = "hive://metastore:9083";
        ObjectNode load = Events.complete(ns, "load", new String[] {}, new String[] {}, "2025-01-01T00:00:00Z");
        ObjectNode customers = Events.dataset(ns, db + ".customers");
        ArrayNode fields = customers.putObject("facets").putObject("schema").putArray("fields");
        fields.addObject().put("name", "email").put("type", "STRING");
        fields.addObject().put("name", "address").put("type", "STRUCT").putArray("fields").addObject().put("name", "zip").put("type", "STRING");
        ((ArrayNode) load.get("outputs")).add(customers);
        ObjectNode file = Events.dataset("s3://lake", "raw/customers-" + db);
        file.putObject("facets").putObject("schema").putArray("fields").addObject().put("name", "email").put("type", "STRING");
        ((ArrayNode) load.get("outputs")).add(file);
        assertEquals(201, server.postJson("/api/v1/lineage", load.toString()).statusCode());
        server.awaitProjection();
        label(ns, db + ".customers", "email", "PII.contact.email", false);
        label(ns, db + ".customers", "address.zip", "PHI.geo.zip", false);
        label("s3://lake", "raw/customers-" + db, "email", "PII.contact.email", false);
        return ns;
    }

    private void label(String ns, String dataset, String field, String code, boolean remove) {
        String path = "/api/v1/namespaces/" + TestServer.enc(ns) + "/datasets/" + TestServer.enc(dataset) + "/fields/" + field + "/classifications/" + code;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url(path))).header("Content-Type", "application/json");
        HttpResponse<String> r = server.send((remove ? b.method("DELETE", HttpRequest.BodyPublishers.ofString("{\"reason\":\"not an e-mail\"}"))
                : b.PUT(HttpRequest.BodyPublishers.ofString("", StandardCharsets.UTF_8))).build());
        assertEquals(200, r.statusCode(), r.body());
    }

    /** The tags the document puts on database.table.column, as "code/protection" strings. */
    private static String tagsOn(JsonNode doc, String database, String table, String column) {
        StringBuilder out = new StringBuilder();
        for (JsonNode resource : doc.path("serviceResources")) {
            JsonNode e = resource.path("resourceElements");
            if (e.path("database").path("values").get(0).asText().equals(database) && e.path("table").path("values").get(0).asText().equals(table)
                    && e.path("column").path("values").get(0).asText().equals(column)) {
                for (JsonNode id : doc.path("resourceToTagIds").path(resource.path("id").asText())) {
                    JsonNode tag = doc.path("tags").path(id.asText());
                    out.append(tag.path("type").asText()).append('/').append(tag.path("attributes").path("protection").asText()).append(' ');
                }
            }
        }
        return out.toString().strip();
    }

    private JsonNode awaitAccepted(java.util.function.Predicate<JsonNode> done) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            if (!ranger.accepted.isEmpty() && done.test(ranger.accepted.get(ranger.accepted.size() - 1))) {
                return ranger.accepted.get(ranger.accepted.size() - 1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Ranger never received the expected tags; refused: " + ranger.refused);
    }

    @Test
    void labelChangesReachRangerOnTheirOwnAndRemovalsLeaveIt() throws Exception {
        tables();
        // Each sync replaces the whole picture, so the newest document must carry this table's tags.
        JsonNode doc = awaitAccepted(d -> d.toString().contains("\"" + db + "\"") && d.toString().contains("PHI.geo.zip"));
        assertEquals("replace", doc.path("op").asText());
        assertEquals("hive_test", doc.path("serviceName").asText());
        assertTrue(tagsOn(doc, db, "customers", "email").contains("PII.contact.email/CLEAR"), doc.toString());
        assertTrue(tagsOn(doc, db, "customers", "address").contains("PHI.geo.zip/CLEAR"), "a nested field tags its top-level column");
        assertFalse(doc.toString().contains("raw/customers"), "the lake file maps to no Hive table");
        assertTrue(ranger.refused.isEmpty(), "every document kept Ranger's contract: " + ranger.refused);
    }

    @Test
    void anAdminSyncsOrPreviewsAndEverySyncIsAudited() throws Exception {
        String ns = tables();
        awaitAccepted(d -> d.toString().contains("\"" + db + "\""));
        int before = ranger.accepted.size();
        HttpResponse<String> dry = server.post("/api/v1/ranger/sync?dryRun=true", new byte[0]);
        assertEquals(200, dry.statusCode(), dry.body());
        assertTrue(tagsOn(TestServer.parse(dry.body()), db, "customers", "email").contains("PII.contact.email"));

        label(ns, db + ".customers", "email", "PII.contact.email", true);
        HttpResponse<String> synced = server.post("/api/v1/ranger/sync", new byte[0]);
        assertEquals(200, synced.statusCode(), synced.body());
        assertEquals("synced", TestServer.parse(synced.body()).path("state").asText());
        assertTrue(ranger.accepted.size() > before);
        JsonNode last = ranger.accepted.get(ranger.accepted.size() - 1);
        assertEquals("", tagsOn(last, db, "customers", "email"), "a removed label leaves Ranger with the next replace");

        // Every import fails for a moment (an automatic sync may run at the same time).
        ranger.failNext.set(1000);
        HttpResponse<String> failed = server.post("/api/v1/ranger/sync", new byte[0]);
        ranger.failNext.set(0);
        assertEquals(502, failed.statusCode());
        assertTrue(TestServer.parse(failed.body()).path("error").asText().contains("HTTP 500"), failed.body());

        String audit = server.getJson("/api/v1/audit-log?action=ranger&limit=50").toString();
        assertTrue(audit.contains("ranger.sync") && audit.contains("\"state\":\"failed\"") && audit.contains("\"state\":\"synced\""), audit);
        String status = server.get("/api/v1/ranger/sync").body();
        assertFalse(audit.contains(RangerStandIn.PASSWORD) || status.contains(RangerStandIn.PASSWORD), "the Ranger password is never shown");
        assertEquals(403, server.sendAsIs(HttpRequest.newBuilder(URI.create(server.url("/api/v1/ranger/sync")))
                .header("Authorization", "Bearer " + server.token("ranger-steward", "steward")).POST(HttpRequest.BodyPublishers.noBody()).build())
                .statusCode(), "only an admin pushes to Ranger");
    }

    @Test
    void theStandInRefusesWhatRangerWould() {
        ObjectNode bad = TestServer.JSON.createObjectNode().put("op", "merge").put("serviceName", "");
        bad.putObject("tags").putObject("1").put("type", "PII.contact.email");
        bad.putObject("resourceToTagIds").putArray("9").add(1);
        String problems = String.join("; ", RangerStandIn.check(bad));
        for (String expected : new String[] {"op must be", "serviceName is required", "has no tag definition", "not in serviceResources"}) {
            assertTrue(problems.contains(expected), expected + " in " + problems);
        }
    }

    /** The default tag-based policies: shown first (dry run), applied only when enabled, the same twice. */
    @Test
    void defaultPoliciesAreShownFirstAndAppliedOnceThroughTheRestApi() {
        int before = TestServer.ranger.policyCalls.size();
        JsonNode dry = TestServer.parse(server.post("/api/v1/ranger/policies", new byte[0]).body());
        assertTrue(dry.path("dryRun").asBoolean(), dry.toString());
        assertEquals(before, TestServer.ranger.policyCalls.size(), "a dry run sends nothing");
        JsonNode mask = dry.path("policies").get(0);
        assertEquals("tags_test", mask.path("service").asText());
        assertEquals(1, mask.path("policyType").asInt());
        assertTrue(mask.path("resources").path("tag").path("values").toString().contains("PII.contact.email"), mask.toString());
        JsonNode deny = dry.path("policies").get(1);
        assertTrue(deny.path("resources").path("tag").path("values").toString().contains("PCI.SAD.cvv"), deny.toString());
        assertFalse(deny.path("resources").path("tag").path("values").toString().contains("PCI.PAN"), "only sensitive authentication data is denied");

        JsonNode applied = TestServer.parse(server.post("/api/v1/ranger/policies?dryRun=false", new byte[0]).body());
        assertEquals("created", applied.path("applied").path("waymark: mask PII").asText(), applied.toString());
        assertEquals(2, TestServer.ranger.policies.size(), TestServer.ranger.refused.toString());
        JsonNode again = TestServer.parse(server.post("/api/v1/ranger/policies?dryRun=false", new byte[0]).body());
        assertEquals("updated", again.path("applied").path("waymark: deny PCI sensitive authentication data").asText(), again.toString());
        assertEquals(2, TestServer.ranger.policies.size(), "updated in place, not duplicated");
        assertEquals(403, server.sendAsIs(HttpRequest.newBuilder(URI.create(server.url("/api/v1/ranger/policies")))
                .header("Authorization", "Bearer " + server.token("ranger-steward", "steward")).POST(HttpRequest.BodyPublishers.noBody()).build())
                .statusCode());

        org.apache.ranger.plugin.model.RangerPolicy bad = new org.apache.ranger.plugin.model.RangerPolicy();
        bad.setService("tags_test");
        bad.setName("bad");
        bad.setPolicyType(0);
        bad.setPolicyItems(java.util.List.of(new org.apache.ranger.plugin.model.RangerPolicy.RangerPolicyItem(
                java.util.List.of(new org.apache.ranger.plugin.model.RangerPolicy.RangerPolicyItemAccess("select")), null, null, null, null, false)));
        String problems = String.join("; ", RangerStandIn.checkPolicy(bad));
        assertTrue(problems.contains("resource 'tag'") && problems.contains("hive:select"), problems);
    }
}
