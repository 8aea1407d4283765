package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.waymark.catalog.audit.AuditLog;
import io.waymark.catalog.config.WaymarkConfig;
import io.waymark.catalog.journal.Journal;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writes, token changes and refused authentication are in the audit log, without secrets, and the chain shows tampering. */
class AuditLogTest {
    private final TestServer server = TestServer.get();

    private JsonNode entries(String query) {
        return server.getJson("/api/v1/audit-log?" + query).path("entries");
    }

    @Test
    void writesAreRecordedWithWhoWhatBeforeAndAfter() {
        String ns = Events.ns();
        String steward = server.token("audit-steward@example.com", "steward");
        assertEquals(201, server.postJson("/api/v1/lineage", Events.complete(ns, "load", new String[] {}, new String[] {"orders"},
                "2025-01-01T00:00:00Z").toString()).statusCode());
        server.awaitProjection();
        String path = "/api/v1/namespaces/" + ns + "/datasets/orders/annotations";
        for (String patch : new String[] {"{\"owner\":\"sales\",\"country\":\"DE\"}", "{\"country\":\"FR\"}"}) {
            HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.url(path + "?reason=RoPA")))
                    .header("Content-Type", "application/merge-patch+json").header("Authorization", "Bearer " + steward)
                    .PUT(HttpRequest.BodyPublishers.ofString(patch, StandardCharsets.UTF_8)).build());
            assertEquals(200, r.statusCode(), r.body());
        }
        JsonNode latest = entries("actor=audit-steward@example.com&action=annotation&limit=1").get(0);
        assertEquals("annotation.update", latest.path("action").asText());
        assertEquals("steward", latest.path("role").asText());
        assertEquals("dataset:" + ns + ":orders", latest.path("target").asText());
        assertEquals("DE", latest.path("detail").path("before").path("country").asText());
        assertEquals("FR", latest.path("detail").path("after").path("country").asText());
        assertEquals("sales", latest.path("detail").path("after").path("owner").asText());
        assertEquals("RoPA", latest.path("detail").path("reason").asText());
        assertEquals(200, latest.path("detail").path("status").asInt());
        assertEquals("127.0.0.1", latest.path("remote").asText());

        JsonNode posted = entries("action=lineage&actor=" + TestServer.enc(io.waymark.catalog.auth.ApiTokens.ENV_ADMIN) + "&limit=50");
        assertTrue(posted.size() > 0 && posted.get(0).path("action").asText().startsWith("lineage."), posted.toString());
        assertEquals("admin", posted.get(0).path("role").asText());
    }

    @Test
    void refusedAuthenticationAndTokenChangesAreRecordedButNeverATokenValue() {
        String forged = "wm_forged-" + java.util.UUID.randomUUID();
        // From an address of its own: another address's failures this minute are aggregated.
        String refused = server.raw("127.0.0.2", "GET /api/v1/compliance/findings HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + forged + "\r\nConnection: close\r\n\r\n");
        assertTrue(refused.startsWith("HTTP/1.1 401 "), refused);
        String viewer = server.token("audit-viewer", "viewer");
        assertEquals(403, server.sendAsIs(HttpRequest.newBuilder(URI.create(server.url("/api/v1/audit-log")))
                .header("Authorization", "Bearer " + viewer).GET().build()).statusCode(), "a viewer may not read the audit log");

        JsonNode failed = entries("action=auth.failed&limit=20");
        assertTrue(failed.toString().contains("invalid or revoked token") && failed.toString().contains("GET /api/v1/compliance/findings"), failed.toString());
        JsonNode forbidden = entries("action=auth.forbidden&actor=audit-viewer&limit=5");
        assertEquals("GET /api/v1/audit-log", forbidden.get(0).path("target").asText());
        JsonNode created = entries("action=token.create&limit=200");
        assertTrue(created.toString().contains("\"audit-viewer\""), "token creation is recorded: " + created);

        String all = entries("limit=1000").toString();
        assertFalse(all.contains(forged), "a refused token is not recorded");
        assertFalse(all.contains(viewer), "a created token is not recorded");
        assertFalse(all.contains(TestServer.ADMIN_TOKEN), "the admin token is not recorded");
        assertTrue(server.getJson("/api/v1/audit-log/verification").path("valid").asBoolean());
    }

    /** On its own journal: forging, changing or removing entries is refused or shows in the verification. */
    @Test
    void theChainShowsAForgedEntryAndTheDatabaseRefusesChanges() throws Exception {
        Path dir = Files.createTempDirectory("audit-chain");
        WaymarkConfig config = new WaymarkConfig();
        config.setDataDir(dir.toString());
        try (Journal journal = new Journal(config)) {
            AuditLog audit = new AuditLog(journal);
            for (int i = 0; i < 5; i++) {
                audit.record(new AuditLog.Entry("jane", "steward", "annotation.update", "dataset:ns:t" + i, Map.of("after", Map.of("owner", "x" + i)), "10.0.0.1"));
            }
            AuditLog.Verification ok = audit.verify();
            assertTrue(ok.valid());
            assertEquals(5, ok.entries());
            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("journal.db"))) {
                SQLException update = assertThrows(SQLException.class, () -> db.createStatement().executeUpdate("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2"));
                assertTrue(update.getMessage().contains("append-only"), update.getMessage());
                assertThrows(SQLException.class, () -> db.createStatement().executeUpdate("DELETE FROM audit_log WHERE seq = 5"));
                // A row appended behind the log's back, with a made-up hash.
                db.createStatement().executeUpdate("INSERT INTO audit_log (seq, at, actor, role, action, target, detail, remote, prev_hash, hash) "
                        + "SELECT 6, at, 'mallory', 'admin', 'token.create', NULL, NULL, NULL, hash, '" + "f".repeat(64) + "' FROM audit_log WHERE seq = 5");
            }
            AuditLog.Verification broken = audit.verify();
            assertFalse(broken.valid());
            assertEquals(6L, broken.brokenAt());
            assertEquals(5, broken.entries());
        }
    }
}
