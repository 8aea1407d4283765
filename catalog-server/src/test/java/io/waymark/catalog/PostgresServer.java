package io.waymark.catalog;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, one per test JVM: Debian's {@code postgresql} package
 * (installed with apt-get when missing and running as root), a fresh cluster in a temporary
 * directory on a free port, started as the {@code postgres} user when the JVM runs as root
 * (PostgreSQL refuses root), stopped when the JVM exits.
 */
public final class PostgresServer {
    public static final String PASSWORD = "wm-test-postgres";
    private static PostgresServer instance;

    public final int port;
    private final Path bin;
    private final Path data;
    private final boolean asPostgres;

    private PostgresServer(Path bin, Path dir, int port, boolean asPostgres) {
        this.bin = bin;
        this.data = dir.resolve("data");
        this.port = port;
        this.asPostgres = asPostgres;
    }

    public static synchronized PostgresServer get() throws Exception {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Restarts the server the fast way (open connections are terminated), as an operator's restart or a failover would. */
    public void restart() throws Exception {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-m", "fast", "restart"), true);
    }

    /** Runs SQL as the superuser in a database (psql, stopping at the first error). */
    public void sql(String database, String sql) throws Exception {
        run(List.of(bin.resolve("psql").toString(), "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres",
                "-d", database, "-c", sql), false);
    }

    private static PostgresServer start() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path found = findBin();
        if (found == null && root) {
            exec(List.of("bash", "-c", "(apt-get install -y -q postgresql || (apt-get update -q && apt-get install -y -q postgresql)) > /tmp/waymark-apt-postgresql.log 2>&1"),
                    15, null);
            found = findBin();
        }
        if (found == null) {
            throw new IllegalStateException("PostgreSQL is not installed and could not be installed (apt-get install postgresql; see /tmp/waymark-apt-postgresql.log)");
        }
        Path bin = found;
        Path dir = Files.createTempDirectory("waymark-pg");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PostgresServer server = new PostgresServer(bin, dir, port, root);
        Path pw = dir.resolve("pw");
        Files.writeString(pw, PASSWORD + "\n");
        if (root) {
            exec(List.of("chown", "-R", "postgres", dir.toString()), 1, null);
        }
        server.run(List.of(bin.resolve("initdb").toString(), "-D", server.data.toString(), "-A", "md5", "--pwfile=" + pw, "-U", "postgres",
                "--no-sync"), true);
        server.run(List.of(bin.resolve("pg_ctl").toString(), "-D", server.data.toString(), "-w", "-l", dir.resolve("log").toString(), "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"), true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.run(List.of(bin.resolve("pg_ctl").toString(), "-D", server.data.toString(), "-m", "immediate", "stop"), true);
            } catch (Exception ignored) {
                // The JVM is going; the temporary cluster goes with the machine.
            }
        }));
        return server;
    }

    private static Path findBin() throws IOException {
        Path base = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(base)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(base)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(p -> Integer.parseInt(p.getParent().getFileName().toString().replaceAll("\\D", "0")))).orElse(null);
        }
    }

    private void run(List<String> command, boolean server) throws Exception {
        List<String> full = new ArrayList<>();
        if (asPostgres && server) {
            // su's command line: quote each word for the shell.
            StringBuilder line = new StringBuilder();
            for (String word : command) {
                line.append('\'').append(word.replace("'", "'\\''")).append("' ");
            }
            full.addAll(List.of("su", "postgres", "-s", "/bin/sh", "-c", line.toString()));
        } else {
            full.addAll(command);
        }
        exec(full, 2, PASSWORD);
    }

    private static void exec(List<String> command, int minutes, String password) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (password != null) {
            builder.environment().put("PGPASSWORD", password);
        }
        Path log = Files.createTempFile("waymark-pg", ".log");
        Process p = builder.redirectOutput(log.toFile()).start();
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " ran longer than " + minutes + " min: " + Files.readString(log));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(command + " exited " + p.exitValue() + ": " + Files.readString(log));
        }
    }
}
