package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static io.waymark.catalog.TestServer.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operations end to end: job states from run history, a stale dataset whose incident names the
 * late job upstream, alerts through a signed webhook, Slack, PagerDuty and e-mail (GreenMail, a
 * real SMTP server), incidents that resolve when the producer runs again, and a person's
 * acknowledge and resolve.
 */
class MonitorTest {
    private static final TestServer server = TestServer.get();
    private static AlertReceivers receivers;
    private static GreenMail smtp;
    private static final String SMTP_PASSWORD = "smtp-pass-" + Long.toHexString(System.nanoTime());
    private static final String SLACK_PATH = "/slack";

    @BeforeAll
    static void receivers() throws Exception {
        receivers = new AlertReceivers();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.setUser("alerts@example.com", "alerts", SMTP_PASSWORD);
        smtp.start();
    }

    @AfterAll
    static void stop() {
        receivers.close();
        smtp.stop();
    }

    @Test
    void aStaleDatasetAlertsWithItsLateUpstreamJobAndResolvesWhenTheProducerRunsAgain() throws Exception {
        String ns = Events.ns();
        Instant now = Instant.now();
        // load_orders writes orders (every 5 minutes by its schedule; the last run 10 minutes ago),
        // publish reads orders and writes report (9 minutes ago); report must be fresh within a minute.
        run(ns, "load_orders", now.minus(Duration.ofMinutes(10)), new String[] {}, new String[] {"orders"}, "COMPLETE");
        run(ns, "publish", now.minus(Duration.ofMinutes(9)), new String[] {"orders"}, new String[] {"report"}, "COMPLETE");
        server.awaitProjection();
        // Channels first: the scheduled check may open incidents as soon as the annotations land.
        channel("{\"name\": \"hook-" + ns + "\", \"type\": \"webhook\", \"url\": \"" + receivers.url("/hook") + "\", \"secret\": \""
                + AlertReceivers.WEBHOOK_SECRET + "\", \"route\": {\"namespaces\": [\"" + ns + "\"]}}");
        channel("{\"name\": \"slack-" + ns + "\", \"type\": \"slack\", \"url\": \"" + receivers.url(SLACK_PATH) + "\", \"route\": {\"namespaces\": [\""
                + ns + "\"], \"kinds\": [\"DATASET_STALE\"]}}");
        channel("{\"name\": \"pd-" + ns + "\", \"type\": \"pagerduty\", \"url\": \"" + receivers.url("/pagerduty") + "\", \"routingKey\": \""
                + AlertReceivers.ROUTING_KEY + "\", \"route\": {\"namespaces\": [\"" + ns + "\"], \"minSeverity\": \"critical\"}}");
        channel("{\"name\": \"mail-" + ns + "\", \"type\": \"email\", \"smtp\": {\"host\": \"127.0.0.1\", \"port\": " + smtp.getSmtp().getPort()
                + ", \"starttls\": false, \"user\": \"alerts\", \"password\": \"" + SMTP_PASSWORD + "\", \"from\": \"waymark@example.com\", "
                + "\"to\": [\"oncall@example.com\"]}, \"route\": {\"namespaces\": [\"" + ns + "\"], \"kinds\": [\"DATASET_STALE\"]}}");

        assertEquals(200, annotate(ns, "jobs/load_orders", "{\"schedule\": \"PT5M\", \"tier\": 1}").statusCode());
        assertEquals(200, annotate(ns, "datasets/report", "{\"freshnessSla\": \"PT1M\", \"owner\": \"reporting-team\"}").statusCode());
        server.awaitProjection();

        check();
        JsonNode late = server.getJson("/api/v1/monitor/jobs?namespace=" + enc(ns) + "&state=LATE").path("jobs");
        assertEquals(1, late.size(), late.toString());
        assertEquals("load_orders", late.get(0).path("name").asText());
        assertTrue(late.get(0).path("reason").asText().contains("schedule 'PT5M'"), late.toString());

        JsonNode incidents = server.getJson("/api/v1/incidents?namespace=" + enc(ns) + "&state=OPEN").path("incidents");
        JsonNode stale = find(incidents, "DATASET_STALE");
        assertTrue(stale.path("title").asText().contains("root cause: job " + ns + "/load_orders is LATE"), stale.toString());
        assertEquals(List.of("dataset:" + ns + ":report", "job:" + ns + ":publish", "dataset:" + ns + ":orders", "job:" + ns + ":load_orders"),
                TestServer.JSON.convertValue(stale.path("detail").path("rootCause").get(0).path("path"), List.class));
        assertEquals("reporting-team", stale.path("owner").asText());
        JsonNode lateIncident = find(incidents, "JOB_LATE");
        assertEquals("critical", lateIncident.path("severity").asText(), "tier 1 is critical");

        // The webhook: signed, naming the late upstream job; Slack and e-mail take only the stale dataset; PagerDuty only critical.
        await(() -> receivers.at("/hook").size() >= 2, "two signed webhook deliveries");
        assertTrue(receivers.at("/hook").stream().allMatch(AlertReceivers.Received::signatureValid), "every webhook body is signed");
        JsonNode hooked = receivers.at("/hook").stream().map(AlertReceivers.Received::body)
                .filter(b -> b.path("incident").path("kind").asText().equals("DATASET_STALE")).findFirst().orElseThrow();
        assertEquals("incident.opened", hooked.path("event").asText());
        assertTrue(hooked.path("incident").path("title").asText().contains("load_orders"), hooked.toString());
        await(() -> !receivers.at(SLACK_PATH).isEmpty(), "a Slack message");
        assertTrue(receivers.at(SLACK_PATH).get(0).body().path("text").asText().contains("load_orders"));
        await(() -> !receivers.at("/pagerduty").isEmpty(), "a PagerDuty trigger");
        JsonNode trigger = receivers.at("/pagerduty").get(0).body();
        assertEquals("trigger", trigger.path("event_action").asText());
        assertEquals("critical", trigger.path("payload").path("severity").asText());
        assertEquals("JOB_LATE", trigger.path("payload").path("class").asText());
        await(() -> smtp.getReceivedMessages().length >= 1, "an e-mail");
        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertTrue(mail.getSubject().contains("DATASET_STALE"), mail.getSubject());
        assertTrue(String.valueOf(mail.getContent()).contains("Root cause: job " + ns + "/load_orders is LATE"), String.valueOf(mail.getContent()));
        assertTrue(receivers.refusals.isEmpty(), "the receivers refused: " + receivers.refusals);

        // The producer runs again: both incidents resolve by themselves, and the channels hear it.
        run(ns, "load_orders", Instant.now(), new String[] {}, new String[] {"orders"}, "COMPLETE");
        run(ns, "publish", Instant.now(), new String[] {"orders"}, new String[] {"report"}, "COMPLETE");
        server.awaitProjection();
        check();
        assertEquals(0, server.getJson("/api/v1/incidents?namespace=" + enc(ns) + "&state=OPEN").path("totalCount").asInt());
        JsonNode resolved = server.getJson("/api/v1/incidents/" + stale.path("id").asText());
        assertEquals("RESOLVED", resolved.path("state").asText());
        assertEquals("waymark-monitor", resolved.path("resolvedBy").asText());
        assertEquals(List.of("opened", "resolved"), resolved.path("history").findValuesAsText("action"));
        await(() -> receivers.at("/pagerduty").size() >= 2, "a PagerDuty resolve");
        JsonNode resolve = receivers.at("/pagerduty").get(1).body();
        assertEquals("resolve", resolve.path("event_action").asText());
        assertEquals(trigger.path("dedup_key").asText(), resolve.path("dedup_key").asText(), "one PagerDuty incident from trigger to resolve");
        await(() -> receivers.at("/hook").stream().anyMatch(r -> r.body().path("event").asText().equals("incident.resolved")), "a resolved webhook");

        // Secrets never come back and are not stored in the clear.
        String channels = server.get("/api/v1/alerts/channels").body();
        for (String secret : List.of(AlertReceivers.WEBHOOK_SECRET, AlertReceivers.ROUTING_KEY, SMTP_PASSWORD, receivers.url(SLACK_PATH))) {
            assertFalse(channels.contains(secret), "a secret in the channel list");
        }
        try (Stream<Path> files = Files.walk(server.dataDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String secret : List.of(AlertReceivers.WEBHOOK_SECRET, AlertReceivers.ROUTING_KEY, SMTP_PASSWORD)) {
                    assertFalse(text.contains(secret), "a channel secret in " + f);
                }
            }
        }
    }

    @Test
    void jobStatesComeFromRunHistory() {
        String ns = Events.ns();
        Instant now = Instant.now();
        // steady: five runs a day apart of about ten minutes each.
        for (int i = 5; i >= 1; i--) {
            Instant start = now.minus(Duration.ofHours(24L * i));
            String id = UUID.randomUUID().toString();
            post(event(ns, "steady", "START", id, start, new String[] {}, new String[] {}));
            post(event(ns, "steady", "COMPLETE", id, start.plus(Duration.ofMinutes(10)), new String[] {}, new String[] {"steady_out"}));
        }
        run(ns, "broken", now.minus(Duration.ofMinutes(3)), new String[] {}, new String[] {}, "FAIL");
        post(event(ns, "hanging", "START", UUID.randomUUID().toString(), now.minus(Duration.ofMinutes(5)), new String[] {}, new String[] {}));
        server.awaitProjection();
        assertEquals(200, annotate(ns, "jobs/hanging", "{\"maxRunDuration\": \"PT1M\"}").statusCode());
        server.awaitProjection();

        JsonNode jobs = server.getJson("/api/v1/monitor/jobs?namespace=" + enc(ns)).path("jobs");
        assertEquals(List.of("hanging STUCK", "broken FAILING", "steady OK"), names(jobs));
        JsonNode steady = server.getJson("/api/v1/monitor/jobs/" + enc(ns) + "/steady");
        assertEquals(600_000, steady.path("p50DurationMs").asLong());
        assertEquals(1.0, steady.path("successRate").asDouble());
        assertEquals(86_400_000L, steady.path("cadenceMs").asLong(), "learned from the starts a day apart");
        assertEquals(5, steady.path("runs").size());
        assertTrue(jobs.get(0).path("reason").asText().contains("longer than maxRunDuration PT1M"), jobs.toString());
        assertEquals(400, server.get("/api/v1/monitor/jobs?state=SLOW").statusCode());
    }

    @Test
    void peopleAcknowledgeAndResolveAndAResolvedProblemWaitsForANewOccurrence() {
        String ns = Events.ns();
        run(ns, "nightly", Instant.now().minus(Duration.ofMinutes(1)), new String[] {}, new String[] {}, "FAIL");
        server.awaitProjection();
        check();
        JsonNode incident = find(server.getJson("/api/v1/incidents?namespace=" + enc(ns)).path("incidents"), "JOB_FAILING");
        String id = incident.path("id").asText();
        String steward = server.token("oncall@example.com", "steward");
        String viewer = server.token("watcher@example.com", "viewer");
        assertEquals(403, act(id, "acknowledge", viewer).statusCode(), "a viewer only watches");
        HttpResponse<String> acked = act(id, "acknowledge", steward);
        assertEquals(200, acked.statusCode(), acked.body());
        assertEquals("ACKNOWLEDGED", TestServer.parse(acked.body()).path("state").asText());
        assertEquals("oncall@example.com", TestServer.parse(acked.body()).path("acknowledgedBy").asText());
        HttpResponse<String> done = act(id, "resolve", steward);
        assertEquals("RESOLVED", TestServer.parse(done.body()).path("state").asText());
        check();
        assertEquals(0, server.getJson("/api/v1/incidents?namespace=" + enc(ns) + "&state=OPEN").path("totalCount").asInt(),
                "the same failed run does not reopen what a person resolved");
        run(ns, "nightly", Instant.now(), new String[] {}, new String[] {}, "FAIL");
        server.awaitProjection();
        check();
        assertEquals(1, server.getJson("/api/v1/incidents?namespace=" + enc(ns) + "&state=OPEN").path("totalCount").asInt(), "a new failure is a new incident");
        JsonNode audit = server.getJson("/api/v1/audit-log?action=incident.resolve&actor=oncall%40example.com&limit=1").path("entries");
        assertEquals("incident:" + id, audit.get(0).path("target").asText());
        assertEquals(404, act("no-such-incident", "resolve", steward).statusCode());
    }

    @Test
    void failedQualityChecksOpenAnIncident() {
        String ns = Events.ns();
        ObjectNode e = event(ns, "validate", "COMPLETE", UUID.randomUUID().toString(), Instant.now(), new String[] {"customers"}, new String[] {});
        ObjectNode assertions = ((ObjectNode) e.get("inputs").get(0)).putObject("inputFacets").putObject("dataQualityAssertions");
        ArrayNode list = assertions.putArray("assertions");
        list.addObject().put("assertion", "not_null").put("success", false).put("column", "email");
        list.addObject().put("assertion", "row_count_gt_0").put("success", true);
        post(e);
        server.awaitProjection();
        check();
        JsonNode incident = find(server.getJson("/api/v1/incidents?namespace=" + enc(ns)).path("incidents"), "QUALITY_FAILED");
        assertTrue(incident.path("title").asText().contains("1 of 2 data-quality assertions failed: not_null(email)"), incident.toString());
    }

    @Test
    void aRowCountDropIsAQualityIncidentAndTheHistoryKeepsTheMetrics() {
        String ns = Events.ns();
        long[] counts = {1000, 1010, 120};
        for (int i = 0; i < counts.length; i++) {
            long rows = counts[i];
            ObjectNode e = event(ns, "count", "COMPLETE", UUID.randomUUID().toString(), Instant.now().minusSeconds(10L - i), new String[] {"events"},
                    new String[] {});
            ObjectNode metrics = ((ObjectNode) e.get("inputs").get(0)).putObject("inputFacets").putObject("dataQualityMetrics").put("rowCount", rows);
            metrics.putObject("columnMetrics").putObject("user_id").put("nullCount", rows / 10).put("distinctCount", rows / 2);
            post(e);
        }
        server.awaitProjection();
        check();
        JsonNode incident = find(server.getJson("/api/v1/incidents?namespace=" + enc(ns)).path("incidents"), "QUALITY_FAILED");
        assertTrue(incident.path("title").asText().contains("the row count fell from 1010 to 120"), incident.toString());
        JsonNode history = server.getJson("/api/v1/monitor/datasets/" + enc(ns) + "/events").path("quality");
        assertEquals(3, history.size(), history.toString());
        assertEquals(120, history.get(0).path("rowCount").asLong());
        assertEquals(12, history.get(0).path("columnMetrics").path("user_id").path("nullCount").asLong());
    }

    @Test
    void aSchemaChangeThatBreaksDownstreamColumnLineageNamesTheAffectedFieldsAndOwners() {
        String ns = Events.ns();
        post(schemaEvent(ns, new String[][] {{"id", "bigint"}, {"email", "string"}, {"amount", "decimal(12,2)"}}));
        ObjectNode copy = event(ns, "build_mailing", "COMPLETE", UUID.randomUUID().toString(), Instant.now(), new String[] {"src"}, new String[] {"mailing"});
        ObjectNode fields = ((ObjectNode) copy.get("outputs").get(0)).putObject("facets").putObject("columnLineage").putObject("fields");
        fields.putObject("contact").putArray("inputFields").addObject().put("namespace", ns).put("name", "src").put("field", "email");
        fields.putObject("total").putArray("inputFields").addObject().put("namespace", ns).put("name", "src").put("field", "amount");
        post(copy);
        server.awaitProjection();
        assertEquals(200, annotate(ns, "datasets/mailing", "{\"owner\": \"marketing\"}").statusCode());
        server.awaitProjection();
        check();
        // A compatible change (a new column) is no incident; dropping email and retyping amount is.
        post(schemaEvent(ns, new String[][] {{"id", "bigint"}, {"email", "string"}, {"amount", "decimal(12,2)"}, {"note", "string"}}));
        server.awaitProjection();
        check();
        assertEquals(0, server.getJson("/api/v1/incidents?namespace=" + enc(ns) + "&kind=BREAKING_SCHEMA_CHANGE").path("totalCount").asInt());
        post(schemaEvent(ns, new String[][] {{"id", "bigint"}, {"amount", "string"}, {"note", "string"}}));
        server.awaitProjection();
        check();
        JsonNode incident = find(server.getJson("/api/v1/incidents?namespace=" + enc(ns) + "&state=OPEN").path("incidents"), "BREAKING_SCHEMA_CHANGE");
        assertTrue(incident.path("title").asText().contains("dropped email (string), retyped amount decimal(12,2) → string; 2 downstream fields derive from them (owners: marketing)"),
                incident.toString());
        assertEquals(List.of("datasetField:" + ns + ":mailing:contact", "datasetField:" + ns + ":mailing:total"),
                incident.path("detail").path("affected").findValuesAsText("nodeId").stream().sorted().toList());
        // Reverted: the incident resolves by itself.
        post(schemaEvent(ns, new String[][] {{"id", "bigint"}, {"email", "string"}, {"amount", "decimal(12,2)"}}));
        server.awaitProjection();
        check();
        assertEquals("RESOLVED", server.getJson("/api/v1/incidents/" + incident.path("id").asText()).path("state").asText());
    }

    private static ObjectNode schemaEvent(String ns, String[][] columns) {
        ObjectNode e = event(ns, "load_src", "COMPLETE", UUID.randomUUID().toString(), Instant.now(), new String[] {}, new String[] {"src"});
        ArrayNode schema = ((ObjectNode) e.get("outputs").get(0)).putObject("facets").putObject("schema").putArray("fields");
        for (String[] c : columns) {
            schema.addObject().put("name", c[0]).put("type", c[1]);
        }
        return e;
    }

    @Test
    void badSettingsGetAClearErrorAndNeverStopIngest() {
        String ns = Events.ns();
        run(ns, "job", Instant.now(), new String[] {}, new String[] {"table"}, "COMPLETE");
        server.awaitProjection();
        HttpResponse<String> cron = annotate(ns, "jobs/job", "{\"schedule\": \"every day at six\"}");
        assertEquals(400, cron.statusCode());
        assertTrue(cron.body().contains("not a valid cron expression"), cron.body());
        assertEquals(200, annotate(ns, "jobs/job", "{\"schedule\": \"0 6 * * 1-5\"}").statusCode(), "a five-field cron");
        HttpResponse<String> sla = annotate(ns, "datasets/table", "{\"freshnessSla\": \"5 minutes\"}");
        assertEquals(400, sla.statusCode());
        assertTrue(sla.body().contains("ISO-8601 duration"), sla.body());
        assertEquals(400, annotate(ns, "datasets/table", "{\"schedule\": \"PT1H\"}").statusCode(), "schedule is a job's");

        assertEquals(400, server.postJson("/api/v1/alerts/channels", "{\"name\": \"x\", \"type\": \"carrier-pigeon\"}").statusCode());
        assertEquals(400, server.postJson("/api/v1/alerts/channels", "{\"name\": \"x\", \"type\": \"webhook\", \"url\": \"ftp://x\"}").statusCode());
        assertEquals(400, server.postJson("/api/v1/alerts/channels", "{\"name\": \"x\", \"type\": \"email\", \"smtp\": {\"host\": \"h\", \"port\": 25, "
                + "\"from\": \"a@b.c\", \"to\": []}}").statusCode());
        String down = "down-" + ns;
        channel("{\"name\": \"" + down + "\", \"type\": \"webhook\", \"url\": \"http://127.0.0.1:1/hook\", \"route\": {\"namespaces\": [\"" + ns + "\"]}}");
        assertEquals(down, server.getJson("/api/v1/alerts/channels/" + down).path("name").asText());
        HttpResponse<String> sent = server.postJson("/api/v1/alerts/channels/" + down + "/test", "");
        JsonNode result = TestServer.parse(sent.body());
        assertFalse(result.path("ok").asBoolean());
        assertTrue(result.path("error").asText().startsWith("unreachable"), result.toString());
        assertEquals(201, server.postJson("/api/v1/lineage", Events.complete(ns, "job", new String[] {}, new String[] {"table"},
                Instant.now().toString()).toString()).statusCode(), "ingest goes on");
    }

    @Test
    void aFailingReceiverIsRetriedWithBackoff() {
        String ns = Events.ns();
        channel("{\"name\": \"flaky-" + ns + "\", \"type\": \"webhook\", \"url\": \"" + receivers.url("/flaky") + "\", \"secret\": \""
                + AlertReceivers.WEBHOOK_SECRET + "\", \"route\": {\"namespaces\": [\"" + ns + "\"]}}");
        receivers.failuresLeft.set(2);
        run(ns, "flaky_job", Instant.now(), new String[] {}, new String[] {}, "FAIL");
        server.awaitProjection();
        check();
        await(() -> receivers.at("/flaky").size() == 1, "delivered on the third attempt");
        JsonNode delivery = server.getJson("/api/v1/alerts/deliveries?channel=flaky-" + ns).path("deliveries").get(0);
        assertEquals("SENT", delivery.path("state").asText());
        assertEquals(3, delivery.path("attempts").asInt());
    }

    private static List<String> names(JsonNode jobs) {
        List<String> names = new java.util.ArrayList<>();
        jobs.forEach(j -> names.add(j.path("name").asText() + " " + j.path("state").asText()));
        return names;
    }

    private static JsonNode find(JsonNode incidents, String kind) {
        for (JsonNode i : incidents) {
            if (i.path("kind").asText().equals(kind)) {
                return i;
            }
        }
        throw new AssertionError("no " + kind + " incident in " + incidents);
    }

    private static void check() {
        HttpResponse<String> checked = server.postJson("/api/v1/monitor/checks", "");
        assertEquals(200, checked.statusCode(), checked.body());
    }

    private static void channel(String body) {
        HttpResponse<String> created = server.postJson("/api/v1/alerts/channels", body);
        assertEquals(201, created.statusCode(), created.body());
    }

    private static HttpResponse<String> act(String id, String action, String token) {
        return server.send(HttpRequest.newBuilder(java.net.URI.create(server.url("/api/v1/incidents/" + id + "/" + action)))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\": \"on it\"}")).build());
    }

    private static HttpResponse<String> annotate(String ns, String path, String patch) {
        return server.send(HttpRequest.newBuilder(java.net.URI.create(server.url("/api/v1/namespaces/" + enc(ns) + "/" + path + "/annotations")))
                .header("Content-Type", "application/merge-patch+json").PUT(HttpRequest.BodyPublishers.ofString(patch)).build());
    }

    private static void run(String ns, String job, Instant at, String[] inputs, String[] outputs, String type) {
        String id = UUID.randomUUID().toString();
        post(event(ns, job, "START", id, at.minus(Duration.ofSeconds(30)), inputs, outputs));
        post(event(ns, job, type, id, at, inputs, outputs));
    }

    private static ObjectNode event(String ns, String job, String type, String runId, Instant at, String[] inputs, String[] outputs) {
        ObjectNode e = Events.run(type, runId, at.toString(), ns, job);
        for (String i : inputs) {
            ((ArrayNode) e.get("inputs")).add(Events.dataset(ns, i));
        }
        for (String o : outputs) {
            ((ArrayNode) e.get("outputs")).add(Events.dataset(ns, o));
        }
        return e;
    }

    private static void post(ObjectNode event) {
        HttpResponse<String> r = server.postJson("/api/v1/lineage", event.toString());
        assertEquals(201, r.statusCode(), r.body());
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; received " + receivers.received + ", refused " + receivers.refusals);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
