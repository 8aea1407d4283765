package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static io.waymark.catalog.TestServer.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every case of malformed_inputs.ndjson, sent in file order ("a"/"b" cases depend on it): the
 * expected class of answer, never a 5xx, an error body naming the field, nothing stored for a
 * refusal, and the declared lineage for an acceptance.
 */
class MalformedInputsTest {
    private static TestServer server;
    private static final List<Outcome> OUTCOMES = new ArrayList<>();

    private record Outcome(JsonNode spec, HttpResponse<String> response, long eventsBefore, long eventsAfter) {}

    @BeforeAll
    static void send() throws IOException {
        server = TestServer.get();
        for (String line : Files.readAllLines(TestServer.CORPUS.resolve("malformed_inputs.ndjson"), StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode spec = TestServer.JSON.readTree(line);
            byte[] body = spec.has("body_base64")
                    ? Base64.getDecoder().decode(spec.get("body_base64").asText())
                    : spec.get("body").asText().getBytes(StandardCharsets.UTF_8);
            List<String> headers = new ArrayList<>();
            spec.path("headers").fields().forEachRemaining(h -> {
                headers.add(h.getKey());
                headers.add(h.getValue().asText());
            });
            long before = eventCount();
            HttpResponse<String> response = server.post("/api/v1/lineage", body, headers.toArray(String[]::new));
            OUTCOMES.add(new Outcome(spec, response, before, eventCount()));
        }
        server.awaitProjection();
    }

    private static long eventCount() {
        return server.getJson("/api/v1/events/lineage?limit=1").path("totalCount").asLong();
    }

    @TestFactory
    Stream<DynamicTest> cases() {
        assertTrue(OUTCOMES.size() >= 40, "the manifest was read");
        return OUTCOMES.stream().map(o -> DynamicTest.dynamicTest(o.spec.path("id").asText(), () -> check(o)));
    }

    private static void check(Outcome o) {
        int status = o.response.statusCode();
        String id = o.spec.path("id").asText();
        assertTrue(status < 500, id + " must never answer 5xx, got " + status + " " + o.response.body());
        switch (o.spec.path("expect").asText()) {
            case "accept" -> assertTrue(status >= 200 && status < 300, id + " expected 2xx, got " + status + " " + o.response.body());
            case "reject" -> assertTrue(status >= 400, id + " expected 4xx, got " + status);
            default -> assertTrue(status < 500, id);
        }
        if (status >= 400) {
            JsonNode error = TestServer.parse(o.response.body());
            assertTrue(error.hasNonNull("error") && error.has("field") && error.hasNonNull("detail"), id + " error shape: " + o.response.body());
            assertEquals(o.eventsBefore, o.eventsAfter, id + " was refused but left an event behind");
        } else if (o.spec.path("lineage_if_accepted").isObject()) {
            checkLineage(id, o.spec.path("lineage_if_accepted"));
        }
    }

    private static void checkLineage(String id, JsonNode lineage) {
        JsonNode job = lineage.path("job");
        String path = "/api/v1/namespaces/" + enc(job.path("namespace").asText()) + "/jobs/" + enc(job.path("name").asText());
        JsonNode actual = server.getJson(path);
        assertEquals(job.path("name").asText(), actual.path("name").asText(), id + " job name round-trips byte for byte");
        assertEquals(pairs(lineage.path("inputs")), ids(actual.path("inputs")), id + " inputs");
        assertEquals(pairs(lineage.path("outputs")), ids(actual.path("outputs")), id + " outputs");
        if (lineage.path("runId").isTextual()) {
            JsonNode runs = server.getJson(path + "/runs");
            assertEquals(1, runs.path("totalCount").asInt(), id + " has exactly one run");
            assertEquals(lineage.path("runId").asText(), runs.path("runs").get(0).path("id").asText());
        }
    }

    private static Set<String> pairs(JsonNode list) {
        Set<String> set = new TreeSet<>();
        list.forEach(p -> set.add(p.get(0).asText() + " | " + p.get(1).asText()));
        return set;
    }

    private static Set<String> ids(JsonNode list) {
        Set<String> set = new TreeSet<>();
        list.forEach(p -> set.add(p.path("namespace").asText() + " | " + p.path("name").asText()));
        return set;
    }
}
