package io.waymark.agent.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The real server jar and the pipeline, each in its own JVM, as users run them. */
final class Processes {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path AGENT = Path.of(System.getProperty("waymark.agent.jar", "target/waymark-agent.jar")).toAbsolutePath();
    static final Path SERVER = Path.of(System.getProperty("waymark.server.jar", "../catalog-server/target/waymark.jar")).toAbsolutePath();
    static final Path HOST_LIBS = Path.of(System.getProperty("waymark.host.libs", "target/host-libs")).toAbsolutePath();
    static final Path TEST_CLASSES = Path.of(System.getProperty("waymark.test.classes", "target/test-classes")).toAbsolutePath();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Processes() {}

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    record Result(int exitCode, String stdout, String stderr, long millis) {}

    static Result run(List<String> command, Path dir, String... env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        for (int i = 0; i < env.length; i += 2) {
            pb.environment().put(env[i], env[i + 1]);
        }
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        long started = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err), (System.nanoTime() - started) / 1_000_000);
    }

    /** The ETL job with the agent attached (no agent when agentArgs is null). */
    static List<String> etl(String agentArgs, Path db, boolean oldJackson, String... modes) throws IOException {
        List<String> cp = new ArrayList<>();
        cp.add(TEST_CLASSES.toString());
        try (var files = Files.list(HOST_LIBS)) {
            files.map(Path::toString).filter(f -> f.contains("sqlite-jdbc") || (oldJackson && f.contains("jackson"))).forEach(cp::add);
        }
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m"));
        if (agentArgs != null) {
            command.add("-javaagent:" + AGENT + "=" + agentArgs);
        }
        command.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, cp), EtlJob.class.getName(), db.toString()));
        command.addAll(List.of(modes));
        return command;
    }

    /** Waymark serving from its own data directory, stopped on close. */
    static final class Server implements AutoCloseable {
        static final String ADMIN_TOKEN = "wm_agent-it-admin-not-secret";
        final int port;
        final Path dataDir;
        /** A producer token, what a pipeline is given: the agent posts with it. */
        String producerToken;
        private final Process process;

        Server(int port, Path dataDir) throws IOException, InterruptedException {
            this.port = port;
            this.dataDir = dataDir;
            Path log = dataDir.resolve("server.log");
            Files.createDirectories(dataDir);
            ProcessBuilder builder = new ProcessBuilder(java(), "-Xmx768m", "-XX:TieredStopAtLevel=1", "-jar", SERVER.toString(), "serve",
                    "--port", Integer.toString(port), "--data-dir", dataDir.resolve("data").toString());
            builder.environment().put("WAYMARK_ADMIN_TOKEN", ADMIN_TOKEN);
            this.process = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            long deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Waymark exited; see " + log + ":\n" + Files.readString(log));
                }
                try {
                    if (HTTP.send(HttpRequest.newBuilder(URI.create(url("/health"))).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode() == 200) {
                        producerToken = createToken("agent-it", "producer");
                        return;
                    }
                } catch (IOException notYet) {
                    // starting
                }
                Thread.sleep(250);
            }
            close();
            throw new IllegalStateException("Waymark did not start; see " + log);
        }

        private String createToken(String name, String role) throws IOException, InterruptedException {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url("/api/v1/tokens"))).header("Authorization", "Bearer " + ADMIN_TOKEN)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                throw new IllegalStateException("token not created: " + r.statusCode() + " " + r.body());
            }
            return JSON.readTree(r.body()).path("token").asText();
        }

        String url() {
            return "http://127.0.0.1:" + port;
        }

        String url(String path) {
            return url() + path;
        }

        JsonNode get(String path) throws IOException, InterruptedException {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + ADMIN_TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " -> " + r.statusCode() + " " + r.body());
            }
            return JSON.readTree(r.body());
        }

        /** Polls until the answer satisfies {@code done} (projection is asynchronous). */
        JsonNode await(String path, Predicate<JsonNode> done) throws InterruptedException {
            long deadline = System.currentTimeMillis() + 60_000;
            JsonNode last = null;
            Exception error = null;
            while (System.currentTimeMillis() < deadline) {
                try {
                    last = get(path);
                    if (done.test(last)) {
                        return last;
                    }
                } catch (Exception e) {
                    error = e;
                }
                Thread.sleep(250);
            }
            throw new AssertionError("GET " + path + " never matched; last answer " + last, error);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
