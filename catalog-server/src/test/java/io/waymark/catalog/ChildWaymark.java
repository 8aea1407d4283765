package io.waymark.catalog;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Waymark in a separate JVM on the test classpath, so a test can kill it with SIGKILL and start it again. */
final class ChildWaymark implements AutoCloseable {
    final int port;
    private final Process process;

    private ChildWaymark(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    static ChildWaymark start(Path dataDir, Path log) throws IOException, InterruptedException {
        return start(dataDir, log, java.util.Map.of());
    }

    /** As {@link #start(Path, Path)}, with more environment variables (WAYMARK_* settings). */
    static ChildWaymark start(Path dataDir, Path log, java.util.Map<String, String> env) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = java("serve", "--port", Integer.toString(port), "--data-dir", dataDir.toString());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("WAYMARK_ADMIN_TOKEN", TestServer.ADMIN_TOKEN);
        builder.environment().putAll(env);
        Process process = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        ChildWaymark child = new ChildWaymark(port, process);
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("child Waymark exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(child.url("/health")).toURL().openConnection();
                if (c.getResponseCode() == 200) {
                    return child;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        child.kill();
        throw new IllegalStateException("child Waymark did not become healthy; see " + log);
    }

    /** Runs a waymark command (rebuild, import, …) in its own JVM to its end; returns the exit code. */
    static int run(Path log, String... args) throws IOException, InterruptedException {
        return run(log, java.util.Map.of(), args);
    }

    /** As {@link #run(Path, String...)}, with more environment variables (WAYMARK_* settings). */
    static int run(Path log, java.util.Map<String, String> env, String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(java(args));
        builder.environment().putAll(env);
        Process process = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("waymark " + List.of(args) + " did not finish; see " + log);
        }
        return process.exitValue();
    }

    private static List<String> java(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // C1 only keeps start-up quick; its default 48 MB code cache is too small for the whole server (PDF export included).
                "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=256m", "-XX:+UseSerialGC", "-Xmx512m",
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                "io.waymark.catalog.Waymark"));
        command.addAll(List.of(args));
        return command;
    }

    /** Waits until projection has applied everything journaled (2 minutes at most); returns the last health answer. */
    com.fasterxml.jackson.databind.JsonNode awaitCaughtUp() throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        com.fasterxml.jackson.databind.JsonNode health;
        do {
            Thread.sleep(200);
            HttpURLConnection c = (HttpURLConnection) URI.create(url("/health")).toURL().openConnection();
            // A 503 (a graph or journal coming back after a restart) is not caught up yet, not a failure.
            try (var in = c.getResponseCode() == 200 ? c.getInputStream() : c.getErrorStream()) {
                health = TestServer.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        } while ((!"UP".equals(health.path("status").asText()) || health.path("projectionLag").asLong() > 0) && System.currentTimeMillis() < deadline);
        if (!"UP".equals(health.path("status").asText()) || health.path("projectionLag").asLong() > 0) {
            throw new AssertionError("projection did not catch up: " + health);
        }
        return health;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** SIGKILL: no shutdown hooks, no flush, exactly what a crash or an OOM killer does. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, as a service manager stops it; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            kill();
            throw new IllegalStateException("Waymark did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            kill();
        }
    }
}
