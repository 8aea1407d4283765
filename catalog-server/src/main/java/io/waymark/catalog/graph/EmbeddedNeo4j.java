package io.waymark.catalog.graph;

import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.waymark.catalog.config.PrivateFiles;
import org.neo4j.driver.AuthToken;
import org.neo4j.driver.AuthTokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * An in-process Neo4j DBMS whose only door is a Bolt listener on 127.0.0.1, so the rest of
 * Waymark uses the driver exactly as it would against an external server. That door is locked:
 * any local process can reach the port, and the graph must not be read or written past Waymark's
 * tokens and audit log, so Neo4j's authentication is on with a random password that lives in
 * {@code <home>/bolt-password} (0600) and is made on the store's first start.
 */
public final class EmbeddedNeo4j implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedNeo4j.class);

    static final String USER = "neo4j";
    private static final String PASSWORD_FILE = "bolt-password";

    private final DatabaseManagementService dbms;
    private final String boltUri;
    private final String password;

    private EmbeddedNeo4j(DatabaseManagementService dbms, String boltUri, String password) {
        this.dbms = dbms;
        this.boltUri = boltUri;
        this.password = password;
    }

    public static EmbeddedNeo4j start(Path home, String pageCache) {
        return start(home, pageCache, 0);
    }

    /** As {@link #start(Path, String)} on a given Bolt port (0: any free one), for a server others connect to. */
    public static EmbeddedNeo4j start(Path home, String pageCache, int boltPort) {
        requireNonNull(home, "home is null");
        // Neo4j's own log4j is first touched when the DBMS shuts down; during a JVM shutdown
        // log4j's registration of its own shutdown hook then fails ("Cannot start
        // ShutdownCallbackRegistry") and takes the DBMS shutdown with it. Neo4j closes its
        // logging itself, so log4j needs no hook.
        System.setProperty("log4j2.shutdownHookEnabled", "false");
        long started = System.nanoTime();
        Path conf = home.resolve("conf/neo4j.conf");
        try {
            Files.createDirectories(conf.getParent());
            // Settings go through a properties file because several (the Netty 4.2 workaround
            // among them, stack-notes C2/C12) are internal and have no public Setting constant.
            Files.write(conf, List.of(
                    "server.bolt.enabled=true",
                    "server.bolt.listen_address=127.0.0.1:" + boltPort,
                    "server.bolt.tls_level=DISABLED",
                    "server.bolt.thread_pool_max_size=64",
                    "server.http.enabled=false",
                    "server.https.enabled=false",
                    "dbms.security.auth_enabled=true",
                    "dbms.usage_report.enabled=false",
                    "server.memory.pagecache.size=" + pageCache,
                    "db.tx_log.preallocate=false",
                    "db.tx_log.rotation.size=16m",
                    "db.tx_log.rotation.retention_policy=2 files",
                    "internal.dbms.bolt.local_enabled=false",
                    "internal.dbms.bolt.netty_server_shutdown_quiet_period=0",
                    "internal.dbms.bolt.netty_server_shutdown_timeout=2s",
                    // By default a plan is cached per size bucket of every list parameter (1, 10, 100, ...
                    // rows), so each new batch size re-plans all projection statements: the first
                    // single-event batch after start-up took 2.5 s although the warm-up had planned them
                    // with four rows. Every statement seeks by key (with index hints), so the row count
                    // does not change its plan (BENCHMARKS.md, start-up).
                    "internal.cypher.use_parameter_size=false"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + conf, e);
        }
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .loadPropertiesFromFile(conf)
                .build();
        String password;
        GraphDatabaseAPI db;
        try {
            db = (GraphDatabaseAPI) dbms.database("neo4j");
            // A store whose recovery failed starts the DBMS but not the database.
            if (!db.isAvailable(10_000)) {
                throw new IllegalStateException("the graph database did not become available (see neo4j/logs/debug.log)");
            }
            password = password(home, dbms);
        } catch (RuntimeException e) {
            try {
                dbms.shutdown();
            } catch (RuntimeException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
        var address = db.getDependencyResolver().resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT);
        String uri = "bolt://127.0.0.1:" + address.getPort();
        LOG.info("embedded Neo4j started at {} in {} ms (home {})", uri, (System.nanoTime() - started) / 1_000_000, home);
        return new EmbeddedNeo4j(dbms, uri, password);
    }

    /**
     * The Bolt password: read from its file, or, on a store's first start (the file is kept
     * inside the store's home, so a new store means a new file), made up, written 0600 and set on
     * the built-in user through the system database, which in process needs no login.
     */
    private static String password(Path home, DatabaseManagementService dbms) {
        Path file = home.resolve(PASSWORD_FILE);
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.US_ASCII).strip();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        dbms.database("system").executeTransactionally("ALTER USER " + USER + " SET PASSWORD $password CHANGE NOT REQUIRED",
                Map.of("password", password));
        PrivateFiles.write(file, password.getBytes(StandardCharsets.US_ASCII));
        return password;
    }

    /**
     * Starts the store in {@code home}, or, when it cannot be opened (a failed recovery after a
     * full disk, a damaged file), moves it aside and starts an empty one: the graph is a function
     * of the journal, and an empty store without Waymark's stamp is rebuilt from it. A store that
     * another process holds is never moved.
     */
    public static EmbeddedNeo4j startOrReplace(Path home, String pageCache) {
        try {
            return start(home, pageCache);
        } catch (RuntimeException e) {
            if (lockedByAnother(e) || !Files.isDirectory(home)) {
                throw e;
            }
            Path aside = home.resolveSibling(home.getFileName() + ".damaged");
            try {
                deleteTree(aside);
                Files.move(home, aside);
            } catch (IOException moveFailed) {
                e.addSuppressed(moveFailed);
                throw e;
            }
            LOG.error("the graph store {} cannot be opened ({}); moved it to {} and starting an empty one, which is rebuilt from the journal",
                    home, rootMessage(e), aside);
            return start(home, pageCache);
        }
    }

    /**
     * Starts an empty store in {@code home}, discarding the one there: for {@code rebuild}, where
     * deleting the store's files takes a moment and deleting its graph through Cypher took 40 s for
     * 20,000 events' worth (BENCHMARKS.md, rebuild). The store is opened first, so one that another
     * process holds is refused and never deleted under it; one that cannot be opened is discarded.
     */
    public static EmbeddedNeo4j startEmpty(Path home, String pageCache) {
        if (Files.isDirectory(home)) {
            try {
                start(home, pageCache).close();
            } catch (RuntimeException e) {
                if (lockedByAnother(e)) {
                    throw e;
                }
            }
            try {
                deleteTree(home);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the graph store " + home, e);
            }
            LOG.info("discarded the graph store {}; it is rebuilt from the journal", home);
        }
        return start(home, pageCache);
    }

    private static boolean lockedByAnother(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().equals("FileLockException") || String.valueOf(t.getMessage()).contains("locked by another process")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The credentials the driver logs in with. */
    public AuthToken authToken() {
        return AuthTokens.basic(USER, password);
    }

    public String password() {
        return password;
    }

    /** The database itself, for work that gains from running in process (rule evaluation). */
    public org.neo4j.graphdb.GraphDatabaseService database() {
        return dbms.database("neo4j");
    }

    public String boltUri() {
        return boltUri;
    }

    @Override
    public void close() {
        dbms.shutdown();
    }
}
