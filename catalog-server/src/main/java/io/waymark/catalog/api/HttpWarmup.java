package io.waymark.catalog.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.waymark.catalog.auth.ApiTokens;
import io.waymark.catalog.auth.Roles;
import io.waymark.catalog.journal.Journal;
import io.waymark.catalog.model.NodeId;
import io.waymark.catalog.projection.Projector;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Warms the HTTP read path once the server listens, by asking it what viewers ask: a restarted
 * server's first crowd of viewers ran Netty's, Micronaut's and the security filters' code
 * interpreted while the JIT compiled it, and the event loops, starved for CPU by the compiler
 * threads, left {@code /health} waiting 110–290 ms (bench: 1 to 4 such probes in each first round
 * of 96 job viewers; none after 300 warm-up requests).
 *
 * <p>It makes at most {@code waymark.http-warmup-requests} GETs (300 by default; 0 turns it off)
 * within {@code waymark.http-warmup-time}, one at a time on one thread, each on its own connection,
 * with a token that exists only in this process's memory for the warm-up (viewer role, never
 * stored, forgotten after). They read a job, a dataset, their lineage, lists and a node that does
 * not exist, taken from the graph as it is. It gives way to ingest: while projection has events to
 * catch up with it waits. {@code /health} says {@code "warming": ["http"]} meanwhile, and the
 * start-up compliance round waits for it ({@link Warm}).
 */
@Singleton
public class HttpWarmup {
    /** Published once the warm-up has ended, or at once when there is none. */
    public record Warm() {}

    /** What a warm-up got: its answers' status codes, counted, and the token it used (forgotten by then). */
    record Result(Map<Integer, Integer> answers, String token) {}

    private static final Logger LOG = LoggerFactory.getLogger(HttpWarmup.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration GIVE_WAY_AT_MOST = Duration.ofSeconds(20);
    private static final Duration QUIET = Duration.ofSeconds(2);
    private static final Duration STOP_NOTICE = Duration.ofSeconds(3);

    private final ApiTokens tokens;
    private final Journal journal;
    private final Projector projector;
    private final ApplicationEventPublisher<Warm> published;
    private final int requests;
    private final Duration time;
    private volatile boolean running;
    /** The journal position last seen by the warm-up, and when it last moved (or the warm-up began). */
    private long lastPosition;
    private long lastArrival;

    public HttpWarmup(ApiTokens tokens, Journal journal, Projector projector, ApplicationEventPublisher<Warm> published,
                      @Value("${waymark.http-warmup-requests:300}") int requests,
                      @Value("${waymark.http-warmup-time:20s}") Duration time,
                      @Value("${waymark.command:serve}") String command) {
        this.tokens = tokens;
        this.journal = journal;
        this.projector = projector;
        this.published = published;
        this.requests = requests;
        this.time = time;
        // Said from the start, so /health never shows a server that has yet to warm up as warm.
        this.running = command.equals("serve") && requests > 0;
    }

    @EventListener
    void serverStarted(ServerStartupEvent event) {
        if (!running) {
            published.publishEvent(new Warm());
            return;
        }
        String host = event.getSource().getHost();
        int port = event.getSource().getPort();
        Thread thread = new Thread(() -> {
            long started = System.nanoTime();
            try {
                Result result = run(host, port, requests, time);
                LOG.info("HTTP read path warmed up in {} ms: {} (status: requests)", (System.nanoTime() - started) / 1_000_000, result.answers());
            } catch (RuntimeException e) {
                if (stopping(event.getSource())) {
                    // The server stops while it warms up (a refused or cut connection): a normal stop, said quietly.
                    LOG.debug("HTTP warm-up ended by the server's stop: {}", e.toString());
                } else {
                    // Only a warm-up: the first viewers pay for the compilation instead.
                    LOG.info("HTTP warm-up stopped: {}", e.toString());
                }
            } finally {
                running = false;
                try {
                    published.publishEvent(new Warm());
                } catch (RuntimeException e) {
                    // Stopped while it warmed up: nobody is left to tell.
                    LOG.debug("warm-up end not published: {}", e.toString());
                }
            }
        }, "http-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Whether the server is stopping, given a little time to say so: its listener may refuse the warm-up's
     * connection a moment before it reports itself stopped.
     */
    private static boolean stopping(EmbeddedServer server) {
        long until = System.nanoTime() + STOP_NOTICE.toNanos();
        while (System.nanoTime() < until) {
            if (!server.isRunning()) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return true;
            }
        }
        return !server.isRunning();
    }

    /** Whether the warm-up has yet to end. */
    public boolean running() {
        return running;
    }

    /** Makes up to {@code count} requests within {@code within}. */
    Result run(String host, int port, int count, Duration within) {
        String token = tokens.ephemeral("(http warm-up)", Roles.VIEWER);
        Map<Integer, Integer> answers = new TreeMap<>();
        try {
            List<String> paths = paths(host, port, token);
            long until = System.nanoTime() + within.toNanos();
            // It begins after a quiet spell too: a client that posts the moment the server is up goes first.
            lastPosition = journal.position();
            lastArrival = System.nanoTime();
            for (int i = 0; i < count && System.nanoTime() < until; i++) {
                giveWayToIngest();
                answers.merge(status(host, port, paths.get(i % paths.size()), token), 1, Integer::sum);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            tokens.forget(token);
        }
        return new Result(answers, token);
    }

    /** What a viewer asks, of nodes the graph has; a missing node when it has none. */
    private static List<String> paths(String host, int port, String token) throws IOException {
        List<String> paths = new ArrayList<>(List.of("/health", "/api/v1/namespaces?limit=10", "/api/v1/jobs?limit=5",
                "/api/v1/namespaces/waymark-warmup/jobs/none", "/api/v1/lineage?depth=1&nodeId=" + enc(NodeId.job("waymark-warmup", "none"))));
        JsonNode job = body(host, port, "/api/v1/jobs?limit=1", token).path("jobs").path(0);
        if (job.has("namespace")) {
            String ns = job.path("namespace").asText();
            paths.add("/api/v1/namespaces/" + enc(ns) + "/jobs/" + enc(job.path("name").asText()));
            paths.add("/api/v1/lineage?depth=2&nodeId=" + enc(NodeId.job(ns, job.path("name").asText())));
            paths.add("/api/v1/namespaces/" + enc(ns) + "/jobs/" + enc(job.path("name").asText()) + "/runs?limit=5");
            JsonNode dataset = job.path("outputs").path(0).isMissingNode() ? job.path("inputs").path(0) : job.path("outputs").path(0);
            if (dataset.has("namespace")) {
                String dns = dataset.path("namespace").asText();
                paths.add("/api/v1/namespaces/" + enc(dns) + "/datasets/" + enc(dataset.path("name").asText()));
                paths.add("/api/v1/namespaces/" + enc(dns) + "/datasets?limit=5");
            }
        }
        return paths;
    }

    /**
     * Waits while events arrive or wait for projection, and for {@link #QUIET} after the last one
     * arrived or the warm-up began: the first event after start was readable 0.6–0.8 s after its POST, and 0.74–1.10 s
     * with the warm-up's requests beside its projection and first read.
     */
    private void giveWayToIngest() throws InterruptedException {
        long until = System.nanoTime() + GIVE_WAY_AT_MOST.toNanos();
        while (System.nanoTime() < until) {
            long position = journal.position();
            if (position != lastPosition) {
                lastPosition = position;
                lastArrival = System.nanoTime();
            }
            boolean quiet = System.nanoTime() - lastArrival > QUIET.toNanos();
            if (quiet && position <= projector.watermark()) {
                return;
            }
            Thread.sleep(50);
        }
    }

    private static int status(String host, int port, String path, String token) throws IOException {
        byte[] answer = exchange(host, port, path, token);
        return Integer.parseInt(new String(answer, 9, 3, StandardCharsets.US_ASCII));
    }

    /** Finding what to ask needs no fresh connection: the JDK's client, which also undoes chunking. */
    private static JsonNode body(String host, int port, String path, String token) throws IOException {
        try {
            var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : JSON.createObjectNode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return JSON.createObjectNode();
        }
    }

    /** One request on its own connection, as a browser's first or a script's only one comes. */
    private static byte[] exchange(String host, int port, String path, String token) throws IOException {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + token
                    + "\r\nAccept: application/json\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            return in.readAllBytes();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
