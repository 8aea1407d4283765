package io.waymark.catalog;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.waymark.catalog.graph.EmbeddedNeo4j;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With WAYMARK_NEO4J_URI set, Waymark uses that server and starts no embedded one. */
class ExternalNeo4jTest {

    @Test
    void usesTheConfiguredNeo4jServer() throws Exception {
        Path home = Files.createTempDirectory("external-neo4j");
        Path data = Files.createTempDirectory("waymark-external");
        try (EmbeddedNeo4j external = EmbeddedNeo4j.start(home, "32m");
             ApplicationContext context = ApplicationContext.run(Map.of(
                     "micronaut.server.port", -1,
                     "waymark.data-dir", data.toString(),
                     "waymark.admin-token", TestServer.ADMIN_TOKEN,
                     "waymark.neo4j.uri", external.boltUri(),
                     "waymark.neo4j.user", "neo4j",
                     "waymark.neo4j.password", external.password()))) {
            EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
            String runId = UUID.randomUUID().toString();
            String event = Events.complete("external", "job", new String[] {"a"}, new String[] {"b"}, "2025-01-01T00:00:00Z").toString();
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + "/api/v1/lineage"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString(event)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, response.statusCode());
            context.getBean(io.waymark.catalog.projection.Projector.class).awaitCaughtUp(java.time.Duration.ofMinutes(1));
            try (Driver driver = GraphDatabase.driver(external.boltUri(), external.authToken())) {
                long count = driver.executableQuery("MATCH (j:Job {key: 'job:external:job'})-[:WRITES]->(d:Dataset {name: 'b'}) RETURN count(*) AS c")
                        .execute().records().get(0).get("c").asLong();
                assertEquals(1, count, "the lineage landed in the external server");
            }
            assertFalse(Files.exists(data.resolve("neo4j")), "no embedded Neo4j was started");
            // Rules run over Bolt against an external server (in process only when embedded).
            HttpResponse<String> evaluation = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.getPort() + "/api/v1/compliance/evaluations")).header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, evaluation.statusCode(), evaluation.body());
            assertTrue(evaluation.body().contains("\"byOutcome\""), evaluation.body());
            assertFalse(runId.isEmpty());
        }
    }
}
