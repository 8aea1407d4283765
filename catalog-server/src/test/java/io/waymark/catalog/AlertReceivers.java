package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Local stand-ins for the receivers Waymark alerts, each checking the documented contract and
 * refusing what breaks it the way the real service does: a generic webhook that verifies
 * {@code X-Waymark-Signature} (HMAC-SHA256 of the body), Slack's incoming webhook ({@code text}
 * required; blocks need a type; 400 {@code invalid_payload} otherwise), PagerDuty's Events API v2
 * (routing_key of 32 characters, event_action trigger|acknowledge|resolve, dedup_key, and for a
 * trigger payload.summary, source and severity in critical|error|warning|info; 202 or 400), and a
 * receiver that fails its first answers (retries).
 */
final class AlertReceivers implements AutoCloseable {
    record Received(String path, JsonNode body, String signature, boolean signatureValid) {}

    static final String WEBHOOK_SECRET = "webhook-secret-" + Long.toHexString(System.nanoTime());
    static final String ROUTING_KEY = "R0123456789abcdef0123456789abcde";

    private final HttpServer server;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final List<String> refusals = new CopyOnWriteArrayList<>();
    final AtomicInteger failuresLeft = new AtomicInteger(2);

    AlertReceivers() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", this::webhook);
        server.createContext("/slack", this::slack);
        server.createContext("/pagerduty", this::pagerDuty);
        server.createContext("/flaky", ex -> {
            if (failuresLeft.getAndDecrement() > 0) {
                answer(ex, 503, "try later");
                return;
            }
            webhook(ex);
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Received> at(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void webhook(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String signature = ex.getRequestHeaders().getFirst("X-Waymark-Signature");
        boolean valid = signature != null && signature.equals("sha256=" + hmac(body));
        received.add(new Received(ex.getHttpContext().getPath(), TestServer.parse(new String(body, StandardCharsets.UTF_8)), signature, valid));
        answer(ex, valid ? 204 : 401, "");
    }

    private void slack(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        JsonNode json;
        try {
            json = TestServer.JSON.readTree(body);
        } catch (IOException e) {
            json = null;
        }
        String problem = json == null || !json.isObject() ? "invalid_payload"
                : !String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")).startsWith("application/json") ? "invalid_content_type"
                : !json.path("text").isTextual() || json.path("text").textValue().isBlank() ? "no_text"
                : json.has("blocks") && (!json.path("blocks").isArray() || blocksWithoutType(json.path("blocks"))) ? "invalid_blocks" : null;
        if (problem != null) {
            refusals.add("slack: " + problem);
            answer(ex, 400, problem);
            return;
        }
        received.add(new Received("/slack", json, null, false));
        answer(ex, 200, "ok");
    }

    private static boolean blocksWithoutType(JsonNode blocks) {
        for (JsonNode b : blocks) {
            if (!b.path("type").isTextual()) {
                return true;
            }
        }
        return false;
    }

    private void pagerDuty(HttpExchange ex) throws IOException {
        JsonNode json = TestServer.JSON.readTree(ex.getRequestBody().readAllBytes());
        List<String> errors = new ArrayList<>();
        if (json.path("routing_key").asText("").length() != 32) {
            errors.add("'routing_key' must be 32 characters");
        }
        String action = json.path("event_action").asText("");
        if (!Set.of("trigger", "acknowledge", "resolve").contains(action)) {
            errors.add("'event_action' is invalid");
        }
        if (!json.path("dedup_key").isTextual() || json.path("dedup_key").asText().length() > 255) {
            errors.add("'dedup_key' is missing or too long");
        }
        if (action.equals("trigger")) {
            JsonNode p = json.path("payload");
            if (!p.path("summary").isTextual() || p.path("summary").asText().length() > 1024) {
                errors.add("'payload.summary' is missing or too long");
            }
            if (!p.path("source").isTextual()) {
                errors.add("'payload.source' is missing");
            }
            if (!Set.of("critical", "error", "warning", "info").contains(p.path("severity").asText(""))) {
                errors.add("'payload.severity' is invalid");
            }
        }
        if (!errors.isEmpty()) {
            refusals.add("pagerduty: " + errors);
            answer(ex, 400, "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\",\"errors\":" + TestServer.JSON.writeValueAsString(errors) + "}");
            return;
        }
        received.add(new Received("/pagerduty", json, null, false));
        answer(ex, 202, "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"" + json.path("dedup_key").asText() + "\"}");
    }

    static String hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
