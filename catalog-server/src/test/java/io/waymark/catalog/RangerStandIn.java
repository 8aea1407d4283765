package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for Ranger Admin's tag REST API (Ranger Admin cannot run here). It implements
 * {@code PUT /service/tags/importservicetags} as Ranger documents it and refuses what Ranger would:
 * no or wrong basic auth (401), a body that is not JSON (415/400), a ServiceTags document that
 * breaks the contract of Ranger's public model classes (ServiceTags, RangerTagDef, RangerTag,
 * RangerServiceResource): unknown op, missing service name, a tag whose type has no definition,
 * a resource element without values, a resource-to-tag mapping naming a resource or tag that is
 * not in the document (400). Accepted documents answer 204, as Ranger does, and are kept.
 */
final class RangerStandIn implements AutoCloseable {
    static final String USER = "ranger-admin";
    static final String PASSWORD = "ranger-secret-not-real";
    private static final Set<String> OPS = Set.of("add_or_update", "replace", "delete");

    final List<JsonNode> accepted = new CopyOnWriteArrayList<>();
    final List<String> refused = new CopyOnWriteArrayList<>();
    /** Answer this many next imports with 500, as a Ranger Admin in trouble would. */
    final AtomicInteger failNext = new AtomicInteger();
    private final HttpServer server;

    RangerStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/service/tags/importservicetags", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String expected = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            if (!exchange.getRequestMethod().equals("PUT")) {
                reply(exchange, 405, "PUT only");
            } else if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                reply(exchange, 401, "authentication required");
            } else if (!String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")).startsWith("application/json")) {
                reply(exchange, 415, "application/json only");
            } else if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                reply(exchange, 500, "{\"msgDesc\":\"tag store unavailable\"}");
            } else {
                JsonNode doc;
                try {
                    doc = TestServer.JSON.readTree(body);
                } catch (IOException e) {
                    reply(exchange, 400, "not JSON");
                    return;
                }
                List<String> problems = check(doc);
                if (problems.isEmpty()) {
                    accepted.add(doc);
                    exchange.sendResponseHeaders(204, -1);
                } else {
                    refused.add(String.join("; ", problems));
                    reply(exchange, 400, String.join("; ", problems));
                }
            }
        }
    }

    static List<String> check(JsonNode doc) {
        List<String> problems = new ArrayList<>();
        if (!OPS.contains(doc.path("op").asText())) {
            problems.add("op must be one of " + OPS);
        }
        String service = doc.path("serviceName").asText("");
        if (service.isBlank()) {
            problems.add("serviceName is required");
        }
        Set<String> defined = new java.util.HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("tagDefinitions").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> def = it.next();
            if (!def.getValue().path("name").isTextual() || def.getValue().path("id").asLong(-1) != Long.parseLong(def.getKey())) {
                problems.add("tagDefinition " + def.getKey() + " needs its id and a name");
            }
            defined.add(def.getValue().path("name").asText());
            for (JsonNode attribute : def.getValue().path("attributeDefs")) {
                if (!attribute.path("name").isTextual() || !attribute.path("type").isTextual()) {
                    problems.add("attributeDefs need name and type");
                }
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("tags").fields(); it.hasNext(); ) {
            JsonNode tag = it.next().getValue();
            if (!defined.contains(tag.path("type").asText())) {
                problems.add("tag type '" + tag.path("type").asText() + "' has no tag definition");
            }
            if (!tag.path("attributes").isObject()) {
                problems.add("tag attributes must be an object");
            }
        }
        Set<String> resources = new java.util.HashSet<>();
        for (JsonNode resource : doc.path("serviceResources")) {
            resources.add(resource.path("id").asText());
            if (!resource.path("id").isNumber() || !service.equals(resource.path("serviceName").asText())) {
                problems.add("a service resource needs a numeric id and the document's serviceName");
            }
            if (!resource.path("resourceElements").isObject() || resource.path("resourceElements").isEmpty()) {
                problems.add("resourceElements is required");
            }
            resource.path("resourceElements").fields().forEachRemaining(e -> {
                if (!e.getValue().path("values").isArray() || e.getValue().path("values").isEmpty()
                        || !e.getValue().path("isExcludes").isBoolean() || !e.getValue().path("isRecursive").isBoolean()) {
                    problems.add("resource element " + e.getKey() + " needs values, isExcludes and isRecursive");
                }
            });
        }
        doc.path("resourceToTagIds").fields().forEachRemaining(e -> {
            if (!resources.contains(e.getKey())) {
                problems.add("resourceToTagIds names resource " + e.getKey() + " that is not in serviceResources");
            }
            e.getValue().forEach(id -> {
                if (!doc.path("tags").has(id.asText())) {
                    problems.add("resourceToTagIds names tag " + id.asText() + " that is not in tags");
                }
            });
        });
        return problems;
    }

    private static void reply(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
