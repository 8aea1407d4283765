package io.waymark.catalog;

import io.waymark.catalog.graph.GraphHandle;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.exceptions.SecurityException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Another local user or process gets nothing past Waymark's tokens and audit log: the embedded
 * Neo4j's Bolt port refuses a login without the password, and the files that hold secrets, token
 * hashes and the audit log are the owner's alone.
 */
class LocalAccessTest {
    private final TestServer server = TestServer.get();

    @Test
    void theEmbeddedGraphRefusesLoginsWithoutItsPassword() {
        String uri = server.context.getBean(GraphHandle.class).uri();
        for (var token : new org.neo4j.driver.AuthToken[] {AuthTokens.none(), AuthTokens.basic("neo4j", "neo4j"), AuthTokens.basic("neo4j", "")}) {
            try (Driver driver = GraphDatabase.driver(uri, token)) {
                assertThrows(SecurityException.class, driver::verifyConnectivity, uri + " must ask for the password");
            }
        }
    }

    @Test
    void secretsAndTheJournalAreTheOwnersAlone() throws Exception {
        Path data = server.dataDir;
        for (Path file : new Path[] {data.resolve("journal.db"), data.resolve("journal.db-wal"), data.resolve("neo4j/bolt-password")}) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
        }
    }
}
