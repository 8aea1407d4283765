package io.waymark.catalog.graph;

import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * An in-process Neo4j DBMS whose only door is a Bolt listener on 127.0.0.1, so the rest of
 * Waymark uses the driver exactly as it would against an external server.
 */
public final class EmbeddedNeo4j implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedNeo4j.class);

    private final DatabaseManagementService dbms;
    private final String boltUri;

    private EmbeddedNeo4j(DatabaseManagementService dbms, String boltUri) {
        this.dbms = dbms;
        this.boltUri = boltUri;
    }

    public static EmbeddedNeo4j start(Path home, String pageCache) {
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
                    "server.bolt.listen_address=127.0.0.1:0",
                    "server.bolt.tls_level=DISABLED",
                    "server.bolt.thread_pool_max_size=64",
                    "server.http.enabled=false",
                    "server.https.enabled=false",
                    "dbms.security.auth_enabled=false",
                    "dbms.usage_report.enabled=false",
                    "server.memory.pagecache.size=" + pageCache,
                    "db.tx_log.preallocate=false",
                    "db.tx_log.rotation.size=16m",
                    "db.tx_log.rotation.retention_policy=2 files",
                    "internal.dbms.bolt.local_enabled=false",
                    "internal.dbms.bolt.netty_server_shutdown_quiet_period=0",
                    "internal.dbms.bolt.netty_server_shutdown_timeout=2s"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + conf, e);
        }
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .loadPropertiesFromFile(conf)
                .build();
        GraphDatabaseAPI db = (GraphDatabaseAPI) dbms.database("neo4j");
        var address = db.getDependencyResolver().resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT);
        String uri = "bolt://127.0.0.1:" + address.getPort();
        LOG.info("embedded Neo4j started at {} in {} ms (home {})", uri, (System.nanoTime() - started) / 1_000_000, home);
        return new EmbeddedNeo4j(dbms, uri);
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
