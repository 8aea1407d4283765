package io.waymark.catalog.auth;

import io.waymark.catalog.audit.AuditLog;
import io.waymark.catalog.config.WaymarkConfig;
import io.waymark.catalog.ingest.InvalidEventException;
import io.waymark.catalog.journal.Journal;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tokens on a real journal: an admin token anyone could guess is refused, and names print as what they are. */
class ApiTokensTest {
    @Test
    void aShortAdminTokenIsRefusedAndTokenNamesHoldNoControlCharacters() throws Exception {
        WaymarkConfig config = new WaymarkConfig();
        config.setDataDir(Files.createTempDirectory("tokens").toString());
        Journal journal = new Journal(config);
        try {
            AuditLog audit = new AuditLog(journal);
            IllegalStateException shortToken = assertThrows(IllegalStateException.class, () -> new ApiTokens(journal, audit, config, "x", true));
            assertTrue(shortToken.getMessage().contains("at least 16"), shortToken.getMessage());
            ApiTokens tokens = new ApiTokens(journal, audit, config, "a-long-enough-admin-token", true);
            for (String name : new String[] {"evil\nadmin", "bell\u0007", "tab\tname", "line\u2028sep", "half\ud800"}) {
                assertThrows(InvalidEventException.class, () -> tokens.create(name, Roles.VIEWER, "test", Roles.ADMIN, null), name);
            }
            assertTrue(tokens.create("jane@example.com", Roles.VIEWER, "test", Roles.ADMIN, null).containsKey("token"));
        } finally {
            journal.close();
        }
    }
}
