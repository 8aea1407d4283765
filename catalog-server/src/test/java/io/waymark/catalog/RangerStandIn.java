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
    /** Policies of the public REST API v2, by id, as Ranger's model reads them. */
    final Map<Long, org.apache.ranger.plugin.model.RangerPolicy> policies = new java.util.concurrent.ConcurrentHashMap<>();
    final List<String> policyCalls = new CopyOnWriteArrayList<>();
    private final AtomicInteger policyIds = new AtomicInteger(100);
    final List<String> refused = new CopyOnWriteArrayList<>();
    /** Answer this many next imports with 500, as a Ranger Admin in trouble would. */
    final AtomicInteger failNext = new AtomicInteger();
    private final HttpServer server;

    RangerStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/service/tags/importservicetags", this::handle);
        server.createContext("/service/public/v2/api/", this::policy);
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

    /**
     * {@code GET /service/public/v2/api/service/{service}/policy/{name}} (404 when there is none),
     * {@code POST /service/public/v2/api/policy} and {@code PUT /service/public/v2/api/policy/{id}}.
     * A policy is read with Ranger's own RangerPolicy class (unknown fields refused) and must name
     * its service and a name, a known policy type, tag resources with values, and the items its
     * type needs, whose access types carry their component's prefix as a tag service's do.
     */
    private void policy(HttpExchange exchange) throws IOException {
        try (exchange) {
            String expected = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                reply(exchange, 401, "authentication required");
                return;
            }
            String path = exchange.getRequestURI().getRawPath().substring("/service/public/v2/api".length());
            String method = exchange.getRequestMethod();
            policyCalls.add(method + " " + path);
            java.util.regex.Matcher byName = java.util.regex.Pattern.compile("/service/([^/]+)/policy/(.+)").matcher(path);
            if (method.equals("GET") && byName.matches()) {
                String service = java.net.URLDecoder.decode(byName.group(1), StandardCharsets.UTF_8);
                String name = java.net.URLDecoder.decode(byName.group(2), StandardCharsets.UTF_8);
                var found = policies.values().stream().filter(p -> p.getService().equals(service) && p.getName().equals(name)).findFirst();
                if (found.isEmpty()) {
                    reply(exchange, 404, "{\"msgDesc\":\"no policy\"}");
                } else {
                    reply(exchange, 200, MODEL.writeValueAsString(found.get()));
                }
                return;
            }
            boolean create = method.equals("POST") && path.equals("/policy");
            boolean update = method.equals("PUT") && path.matches("/policy/\\d+");
            if (!create && !update) {
                reply(exchange, 404, "no such API");
                return;
            }
            org.apache.ranger.plugin.model.RangerPolicy policy;
            try {
                policy = MODEL.readValue(exchange.getRequestBody().readAllBytes(), org.apache.ranger.plugin.model.RangerPolicy.class);
            } catch (IOException e) {
                reply(exchange, 400, "not a RangerPolicy: " + e.getMessage());
                return;
            }
            List<String> problems = checkPolicy(policy);
            if (!problems.isEmpty()) {
                refused.add(String.join("; ", problems));
                reply(exchange, 400, String.join("; ", problems));
                return;
            }
            long id = update ? Long.parseLong(path.substring("/policy/".length())) : policyIds.incrementAndGet();
            if (update && !policies.containsKey(id)) {
                reply(exchange, 404, "no policy " + id);
                return;
            }
            policy.setId(id);
            policies.put(id, policy);
            reply(exchange, 200, MODEL.writeValueAsString(policy));
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper MODEL = new com.fasterxml.jackson.databind.ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    static List<String> checkPolicy(org.apache.ranger.plugin.model.RangerPolicy p) {
        List<String> problems = new ArrayList<>();
        if (p.getService() == null || p.getService().isBlank() || p.getName() == null || p.getName().isBlank()) {
            problems.add("service and name are required");
        }
        Integer type = p.getPolicyType();
        if (type == null || (type != 0 && type != 1)) {
            problems.add("policyType must be 0 (access) or 1 (data mask) here");
        }
        var tag = p.getResources() == null ? null : p.getResources().get("tag");
        if (tag == null || tag.getValues() == null || tag.getValues().isEmpty()) {
            problems.add("a tag service's policy needs the resource 'tag' with values");
        }
        List<org.apache.ranger.plugin.model.RangerPolicy.RangerPolicyItemAccess> accesses = new ArrayList<>();
        if (type != null && type == 1) {
            if (p.getDataMaskPolicyItems() == null || p.getDataMaskPolicyItems().isEmpty()) {
                problems.add("a data mask policy needs dataMaskPolicyItems");
            } else {
                p.getDataMaskPolicyItems().forEach(i -> {
                    accesses.addAll(i.getAccesses());
                    if (i.getDataMaskInfo() == null || i.getDataMaskInfo().getDataMaskType() == null) {
                        problems.add("a data mask item needs dataMaskInfo.dataMaskType");
                    }
                });
            }
        } else if (type != null && type == 0) {
            if (p.getPolicyItems().isEmpty() && p.getDenyPolicyItems().isEmpty()) {
                problems.add("an access policy needs policyItems or denyPolicyItems");
            }
            p.getPolicyItems().forEach(i -> accesses.addAll(i.getAccesses()));
            p.getDenyPolicyItems().forEach(i -> accesses.addAll(i.getAccesses()));
        }
        accesses.stream().filter(a -> a.getType() == null || !a.getType().contains(":"))
                .forEach(a -> problems.add("a tag service's access type names its component (hive:select), not '" + a.getType() + "'"));
        return problems;
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
