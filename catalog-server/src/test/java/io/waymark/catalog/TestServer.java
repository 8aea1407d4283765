package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.waymark.catalog.projection.Projector;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One real Waymark per test JVM (embedded Neo4j over Bolt, SQLite journal in a temporary
 * directory, HTTP on a free port), because starting Neo4j costs seconds; tests keep to their own
 * namespaces so they do not see each other's data.
 */
public final class TestServer {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final Path CORPUS = locateCorpus();
    /** The admin token every test server is started with (WAYMARK_ADMIN_TOKEN for child processes). */
    public static final String ADMIN_TOKEN = "wm_test-admin-token-not-secret";
    private static TestServer instance;
    /** Ranger Admin's tag API as a local stand-in; the test server syncs classifications to it. */
    public static RangerStandIn ranger;

    public final ApplicationContext context;
    public final EmbeddedServer server;
    public final Path dataDir;
    private final Map<String, String> tokens = new java.util.HashMap<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    private TestServer(ApplicationContext context, EmbeddedServer server, Path dataDir) {
        this.context = context;
        this.server = server;
        this.dataDir = dataDir;
    }

    public static synchronized TestServer get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("waymark-test");
                ranger = new RangerStandIn();
                Map<String, Object> journal = new java.util.HashMap<>();
                // The build runs a second time the tests that use the journal database most, on PostgreSQL (pom.xml).
                if ("postgresql".equals(System.getProperty("waymark.test.journal"))) {
                    var store = JournalBackends.create("postgresql");
                    journal.put("waymark.journal.url", store.config().getUrl());
                    journal.put("waymark.journal.user", store.config().getUser());
                    journal.put("waymark.journal.password", store.config().getPassword());
                }
                Map<String, Object> properties = new java.util.HashMap<>(journal);
                properties.putAll(Map.ofEntries(
                        Map.entry("waymark.ranger.url", ranger.url()),
                        Map.entry("waymark.ranger.user", RangerStandIn.USER),
                        Map.entry("waymark.ranger.password", RangerStandIn.PASSWORD),
                        Map.entry("waymark.ranger.service", "hive_test"),
                        Map.entry("waymark.ranger.tag-service", "tags_test"),
                        Map.entry("waymark.ranger.policies-enabled", true),
                        Map.entry("micronaut.server.port", -1),
                        Map.entry("waymark.data-dir", dir.toString()),
                        Map.entry("waymark.admin-token", ADMIN_TOKEN),
                        // Shorter than the default minute, so the slow-client test waits less; longer than any answer a test waits for.
                        Map.entry("waymark.client-read-timeout", "30s"),
                        // The monitor checks often and without grace; MonitorTest also asks for checks itself.
                        Map.entry("waymark.monitor.interval", "PT5S"),
                        Map.entry("waymark.monitor.grace", "PT1S"),
                        Map.entry("micronaut.banner.enabled", false)));
                ApplicationContext context = ApplicationContext.run(properties);
                EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
                // Ready as /health says: start-up's compliance round has run.
                var compliance = context.getBean(io.waymark.catalog.compliance.ContinuousCompliance.class);
                long deadline = System.currentTimeMillis() + 120_000;
                while (!compliance.started() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                instance = new TestServer(context, server, dir);
                Runtime.getRuntime().addShutdownHook(new Thread(context::close));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (Exception e) {
                throw new IllegalStateException("the test server did not start", e);
            }
        }
        return instance;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getPort() + path;
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public HttpResponse<String> post(String path, byte[] body, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url(path)))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length == 0) {
            builder.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return send(builder.build());
    }

    public HttpResponse<String> postJson(String path, String body) {
        return post(path, body.getBytes(StandardCharsets.UTF_8));
    }

    public HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(url(pathAndQuery))).timeout(Duration.ofSeconds(60)).GET().build());
    }

    public HttpResponse<String> delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(60)).DELETE().build());
    }

    /**
     * Sends a request exactly as written over a socket from {@code localAddress} (any 127.x.y.z
     * address is this machine's), so a test can be a client of its own address, and paths reach
     * the server unnormalised. Answers the whole response, headers included.
     */
    public String raw(String localAddress, String request) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.getPort(), java.net.InetAddress.getByName(localAddress), 0)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public JsonNode getJson(String pathAndQuery) {
        HttpResponse<String> response = get(pathAndQuery);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + pathAndQuery + " -> " + response.statusCode() + " " + response.body());
        }
        return parse(response.body());
    }

    public void awaitProjection() {
        try {
            if (!context.getBean(Projector.class).awaitCaughtUp(Duration.ofMinutes(2))) {
                throw new AssertionError("projection did not catch up");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    /** A token with this name and role, created once per server (as the admin, through the API). */
    public synchronized String token(String name, String role) {
        return tokens.computeIfAbsent(name + "\n" + role, k -> {
            HttpResponse<String> created = postJson("/api/v1/tokens", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}");
            if (created.statusCode() != 201) {
                throw new AssertionError("token not created: " + created.statusCode() + " " + created.body());
            }
            return parse(created.body()).path("token").asText();
        });
    }

    /** Sends as the admin unless the request carries its own Authorization header. */
    public HttpResponse<String> send(HttpRequest request) {
        if (request.headers().firstValue("Authorization").isPresent()) {
            return sendAsIs(request);
        }
        return sendAsIs(HttpRequest.newBuilder(request, (name, value) -> true).header("Authorization", "Bearer " + ADMIN_TOKEN).build());
    }

    /** Sends exactly this request: no token unless it has one. */
    public HttpResponse<String> sendAsIs(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Path locateCorpus() {
        for (Path candidate : new Path[] {Path.of("../../shared/corpus"), Path.of("../shared/corpus"), Path.of("../../../shared/corpus")}) {
            if (Files.isDirectory(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("../shared/corpus not found beside the checkout");
    }
}
