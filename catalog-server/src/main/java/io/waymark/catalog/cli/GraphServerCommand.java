package io.waymark.catalog.cli;

import io.waymark.catalog.graph.EmbeddedNeo4j;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code graph-server}: the Neo4j that {@code serve} embeds, on its own, as the one graph several
 * replicas share on one machine (scripts/cluster.sh). Bolt listens on 127.0.0.1 only; across
 * machines use a Neo4j server of your own. Runs until SIGTERM, then shuts Neo4j down cleanly.
 */
public final class GraphServerCommand {
    private GraphServerCommand() {}

    public static int run(List<String> args, PrintStream out) throws InterruptedException {
        Path home = null;
        int port = 7687;
        String pageCache = "256m";
        for (int i = 0; i < args.size(); i++) {
            String value = i + 1 < args.size() ? args.get(i + 1) : null;
            switch (args.get(i)) {
                case "--home" -> home = Path.of(require(value, "--home"));
                case "--bolt-port" -> port = Integer.parseInt(require(value, "--bolt-port"));
                case "--page-cache" -> pageCache = require(value, "--page-cache");
                default -> {
                    System.err.println("graph-server: unknown argument " + args.get(i) + "; usage: graph-server --home DIR [--bolt-port 7687] [--page-cache 256m]");
                    return 64;
                }
            }
            i++;
        }
        if (home == null) {
            System.err.println("graph-server: --home DIR is required (the store and its bolt-password file live there)");
            return 64;
        }
        EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(home.toAbsolutePath(), pageCache, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            neo4j.close();
            stopped.countDown();
        }, "graph-server-stop"));
        out.println("graph-server: Neo4j on " + neo4j.boltUri() + " (user neo4j, password in " + home.toAbsolutePath().resolve("bolt-password") + ")");
        out.flush();
        stopped.await();
        return 0;
    }

    private static String require(String value, String flag) {
        if (value == null) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return value;
    }
}
