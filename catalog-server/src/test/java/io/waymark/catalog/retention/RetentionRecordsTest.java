package io.waymark.catalog.retention;

import io.waymark.catalog.audit.AuditLog;
import io.waymark.catalog.config.WaymarkConfig;
import io.waymark.catalog.journal.Journal;
import io.waymark.catalog.model.Times;
import io.waymark.catalog.report.ReportKeys;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retention of the records beside the lineage journal, each on its own real SQLite journal: audit log, findings, incidents. */
class RetentionRecordsTest {

    @Test
    void theAuditChainVerifiesFromASignedCheckpointAfterOldEntriesGo() throws Exception {
        WaymarkConfig config = dataDir("audit-retention");
        try (Journal journal = new Journal(config)) {
            AuditLog audit = new AuditLog(journal, new ReportKeys(config));
            for (int i = 0; i < 5; i++) {
                audit.record(new AuditLog.Entry("jane", "steward", "annotation.update", "dataset:ns:t" + i, Map.of("i", i), null));
            }
            Thread.sleep(20);
            Instant cut = Instant.now();
            Thread.sleep(20);
            for (int i = 0; i < 3; i++) {
                audit.record(new AuditLog.Entry("joe", "admin", "token.create", "token:" + i, null, null));
            }
            assertEquals(5, audit.purgeBefore(cut));
            AuditLog.Verification v = audit.verify();
            assertTrue(v.valid(), v.toString());
            assertEquals(3, v.entries());
            assertEquals(5, v.from().seq());
            assertEquals(0, audit.purgeBefore(cut), "nothing older is left");

            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + config.dataPath().resolve("journal.db")); Statement s = db.createStatement()) {
                SQLException newer = assertThrows(SQLException.class, () -> s.executeUpdate("DELETE FROM audit_log WHERE seq = 6"));
                assertTrue(newer.getMessage().contains("checkpoint"), newer.getMessage());
                assertThrows(SQLException.class, () -> s.executeUpdate("UPDATE audit_checkpoint SET hash = 'x'"));
                assertThrows(SQLException.class, () -> s.executeUpdate("DELETE FROM audit_checkpoint"));
            }

            // Everything goes: the chain goes on from the checkpoint, and still verifies.
            Thread.sleep(20);
            assertEquals(3, audit.purgeBefore(Instant.now()));
            audit.record(new AuditLog.Entry("joe", "admin", "token.revoke", "token:1", null, null));
            v = audit.verify();
            assertTrue(v.valid(), v.toString());
            assertEquals(1, v.entries());
            assertEquals(8, v.from().seq());

            // A checkpoint forged behind the instance's back, with the rows it would cover removed, does not verify.
            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + config.dataPath().resolve("journal.db")); Statement s = db.createStatement()) {
                s.executeUpdate("INSERT INTO audit_checkpoint (seq, hash, entry_at, created_at, deleted, key_id, signature) "
                        + "SELECT seq, hash, at, at, 1, 'forged', 'AAAA' FROM audit_log WHERE seq = 9");
                s.executeUpdate("DELETE FROM audit_log WHERE seq = 9");
            }
            AuditLog.Verification forged = audit.verify();
            assertFalse(forged.valid());
            assertNotNull(forged.problem());
            assertTrue(forged.problem().contains("not signed"), forged.problem());
        }
    }

    @Test
    void resolvedFindingsAndIncidentsGoAfterTheirPeriodsOpenOnesStay() throws Exception {
        WaymarkConfig config = dataDir("records-retention");
        try (Journal journal = new Journal(config)) {
            String old = Times.format(Instant.now().minus(Duration.ofDays(400)));
            String recent = Times.format(Instant.now().minus(Duration.ofDays(2)));
            journal.writeTransaction(h -> {
                for (String[] f : new String[][] {{"f-old", old, old}, {"f-recent", old, recent}, {"f-open", old, null}}) {
                    finding(h, f[0], f[1], f[2]);
                }
                for (String[] i : new String[][] {{"i-old", "RESOLVED", old}, {"i-recent", "RESOLVED", recent}, {"i-open", "OPEN", null}}) {
                    h.execute("INSERT INTO incident (id, kind, subject, namespace, name, episode, state, severity, title, detail, opened_at, updated_at, resolved_at) "
                            + "VALUES (?, 'JOB_FAILING', 'job:ns:j', 'ns', 'j', 'e', ?, 'HIGH', 't', '{}', ?, ?, ?)", i[0], i[1], old, old, i[2]);
                    h.execute("INSERT INTO incident_event (incident_id, at, action, actor, detail) VALUES (?, ?, 'opened', 'monitor', NULL)", i[0], old);
                    h.execute("INSERT INTO alert_delivery (id, channel, incident_id, action, state, attempts, created_at, payload) "
                            + "VALUES (?, 'ops', ?, 'trigger', 'SENT', 1, ?, '{}')", "d-" + i[0], i[0], old);
                }
                return null;
            });
            AuditLog audit = new AuditLog(journal, new ReportKeys(config));
            Retention retention = new Retention(journal, audit, null, null, "", "", "P365D", "P30D", "", "P1D", "P1D", false);
            Map<String, Object> dry = retention.purge(new Retention.Request(null, null, null, null, null, true), "test");
            assertEquals(1L, dry.get("findings"));
            assertEquals(1L, dry.get("incidents"));
            assertEquals(3L, count(journal, "finding"), "a dry run deletes nothing");

            Map<String, Object> done = retention.purge(new Retention.Request(null, null, null, null, null, false), "test");
            assertEquals(1L, done.get("findings"));
            assertEquals(1L, done.get("incidents"));
            assertEquals(1L, done.get("incidentSteps"));
            assertEquals(1L, done.get("notifications"));
            assertEquals(List.of("f-open", "f-recent"), ids(journal, "finding"));
            assertEquals(List.of("i-open", "i-recent"), ids(journal, "incident"));
            assertEquals(2L, count(journal, "incident_event"));
            assertEquals(2L, count(journal, "alert_delivery"));
            List<Map<String, Object>> history = retention.history(10);
            assertEquals(2, history.size());
            assertEquals(false, history.get(0).get("dryRun"));
            assertEquals(true, history.get(1).get("dryRun"));
        }
    }

    @Test
    void theScheduleAppliesTheConfiguredPolicyAndAuditsIt() throws Exception {
        WaymarkConfig config = dataDir("scheduled-retention");
        try (Journal journal = new Journal(config)) {
            String old = Times.format(Instant.now().minus(Duration.ofDays(400)));
            journal.writeTransaction(h -> finding(h, "f", old, old));
            AuditLog audit = new AuditLog(journal, new ReportKeys(config));
            Retention retention = new Retention(journal, audit, null, null, "", "", "P365D", "", "", "P1D", "PT1S", true);
            try {
                long deadline = System.currentTimeMillis() + 15_000;
                while (count(journal, "finding") > 0 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(0, count(journal, "finding"), "the schedule purged the resolved finding");
                Thread.sleep(300);
                assertEquals("retention-schedule", retention.history(1).get(0).get("actor"));
                assertTrue(journal.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM audit_log WHERE action = 'retention.purge' AND actor = 'retention-schedule'")
                        .mapTo(Long.class).one()) > 0, "audited");
            } finally {
                retention.close();
            }
        }
    }

    @Test
    void settingsThatAreNotPeriodsAreRefusedByName() {
        Duration day = Duration.ofDays(1);
        assertEquals("events: '90 days' is not an ISO-8601 duration such as P90D or PT12H",
                assertThrows(IllegalArgumentException.class, () -> RetentionPolicy.parse("90 days", "", "", "", "", day)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RetentionPolicy.parse("", "prod-*", "", "", "", day))
                .getMessage().startsWith("namespaces: 'prod-*' is not glob=duration"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RetentionPolicy.parse("", "", "", "", "PT1H", day))
                .getMessage().startsWith("audit: at least"));
        RetentionPolicy p = RetentionPolicy.parse("P90D", "prod-*=P365D, dev-*=P7D", "", "", "", day);
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        assertTrue(p.old(List.of("dev-x"), "2026-11-20T00:00:00Z", now));
        assertFalse(p.old(List.of("prod-x"), "2026-06-01T00:00:00Z", now));
        assertTrue(p.old(List.of("other"), "2026-06-01T00:00:00Z", now));
        assertFalse(p.old(List.of("other"), "2026-11-01T00:00:00Z", now));
        assertEquals("P90D", p.describe().get("events"));
    }

    /** A temporary data directory's settings: each test has its own journal. */
    private static WaymarkConfig dataDir(String name) throws java.io.IOException {
        WaymarkConfig config = new WaymarkConfig();
        config.setDataDir(Files.createTempDirectory(name).toString());
        return config;
    }

    /** A finding seen at {@code seen} (first and last), resolved at {@code resolved} (null: still open). */
    private static int finding(org.jdbi.v3.core.Handle h, String id, String seen, String resolved) {
        return h.execute("INSERT INTO finding (id, rule_id, rule_version, regulation, severity, outcome, node_id, title, evidence, remediation, "
                + "first_seen, last_seen, resolved_at) VALUES (?, 'r', '1', 'GDPR', 'HIGH', 'FAIL', 'n', 't', '{}', 'x', ?, ?, ?)", id, seen, seen, resolved);
    }

    private static long count(Journal journal, String table) {
        return journal.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
    }

    private static List<String> ids(Journal journal, String table) {
        return journal.jdbi().withHandle(h -> h.createQuery("SELECT id FROM " + table + " ORDER BY id").mapTo(String.class).list());
    }
}
