package io.waymark.catalog;

import io.waymark.catalog.audit.AuditLog;
import io.waymark.catalog.journal.Journal;
import io.waymark.catalog.journal.JournalEntry;
import io.waymark.catalog.journal.NewEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal behaves the same on SQLite and on a real PostgreSQL server: duplicates are stored
 * once, a reader that follows the journal by id never skips a row committed later, writers in
 * several processes keep one verifiable audit chain, append-only tables refuse changes, and the
 * migrations are applied once however many processes start.
 */
class JournalBackendsTest {
    private static NewEvent event(String hash, String payload) {
        return new NewEvent("2026-01-01T00:00:00.000000000Z", "2026-01-01T00:00:00.000000000Z", "RUN", "COMPLETE", "r-" + hash, "ns", "job",
                hash, payload, null);
    }

    @ParameterizedTest
    @MethodSource("io.waymark.catalog.JournalBackends#names")
    void duplicatesAreStoredOnceAndEventsReadBackInOrder(String backend) throws Exception {
        JournalBackends.Store store = JournalBackends.create(backend);
        try (Journal journal = store.open()) {
            boolean[] first = journal.append(List.of(event("a", "{\"n\":\"é ✓ 𝄞\"}"), event("b", "{}"))).get(30, TimeUnit.SECONDS);
            boolean[] again = journal.append(List.of(event("b", "{}"), event("c", "{}"))).get(30, TimeUnit.SECONDS);
            assertArrayEquals(new boolean[] {true, true}, first);
            assertArrayEquals(new boolean[] {false, true}, again, "the repeated event is recognised");
            List<JournalEntry> all = journal.read(dao -> dao.after(0, 10));
            assertEquals(List.of("{\"n\":\"é ✓ 𝄞\"}", "{}", "{}"), all.stream().map(JournalEntry::payload).toList());
            assertEquals(all.get(2).id(), journal.position());
            assertEquals(3L, (long) journal.read(dao -> dao.size()));
        }
        try (Journal reopened = store.open()) {
            assertEquals(3L, (long) reopened.read(dao -> dao.size()), "migrations found applied, nothing lost");
            int migrations = reopened.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM schema_version").mapTo(Integer.class).one());
            assertEquals(12, migrations);
        }
    }

    /** Two journals on one store, as two replicas would be, with a reader following by id all along. */
    @ParameterizedTest
    @MethodSource("io.waymark.catalog.JournalBackends#names")
    void writersInTwoProcessesKeepOneOrderAndOneChain(String backend) throws Exception {
        JournalBackends.Store store = JournalBackends.create(backend);
        try (Journal one = store.open(); Journal two = store.open()) {
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            Set<Long> followed = ConcurrentHashMap.newKeySet();
            AtomicBoolean writing = new AtomicBoolean(true);
            Thread follower = new Thread(() -> {
                long watermark = 0;
                while (true) {
                    boolean last = !writing.get();
                    long from = watermark;
                    List<JournalEntry> page = one.read(dao -> dao.after(from, 500));
                    for (JournalEntry e : page) {
                        assertTrue(e.id() > watermark, "ids grow");
                        followed.add(e.id());
                        watermark = e.id();
                    }
                    if (last && page.isEmpty()) {
                        return;
                    }
                }
            });
            follower.start();
            List<Thread> writers = new ArrayList<>();
            int perWriter = 40;
            for (int w = 0; w < 6; w++) {
                Journal journal = w % 2 == 0 ? one : two;
                int writer = w;
                Thread t = new Thread(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        try {
                            journal.append(List.of(event(writer + "-" + i + "-x", "{}"), event(writer + "-" + i + "-y", "{}")),
                                    new AuditLog.Entry("w" + writer, "producer", "lineage.ingest", null, Map.of("i", i), null)).get(60, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            failures.add(e);
                        }
                    }
                });
                writers.add(t);
                t.start();
            }
            for (Thread t : writers) {
                t.join();
            }
            writing.set(false);
            follower.join(60_000);
            assertTrue(failures.isEmpty(), "appends failed: " + failures.stream().limit(3).map(Throwable::toString).toList());
            long stored = one.read(dao -> dao.size());
            assertEquals(6 * perWriter * 2, stored);
            assertEquals(stored, followed.size(), "the follower saw every event: none committed behind its watermark");
            AuditLog.Verification chain = new AuditLog(two).verify();
            assertTrue(chain.valid(), "one chain across both writers: " + chain);
            assertEquals(6 * perWriter, chain.entries());
        }
    }

    @ParameterizedTest
    @MethodSource("io.waymark.catalog.JournalBackends#names")
    void appendOnlyTablesRefuseChanges(String backend) throws Exception {
        JournalBackends.Store store = JournalBackends.create(backend);
        try (Journal journal = store.open()) {
            AuditLog audit = new AuditLog(journal);
            for (int i = 0; i < 3; i++) {
                audit.record(new AuditLog.Entry("jane", "steward", "annotation.update", "dataset:ns:t" + i, Map.of("i", i), "10.0.0.1"));
            }
            for (String change : List.of("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2", "DELETE FROM audit_log WHERE seq = 3")) {
                RuntimeException refused = assertThrows(RuntimeException.class, () -> journal.jdbi().useHandle(h -> h.execute(change)));
                assertTrue(String.valueOf(refused.getCause() == null ? refused.getMessage() : refused.getCause().getMessage()).contains("append-only"),
                        change + ": " + refused);
            }
            assertTrue(audit.verify().valid());
            assertEquals(3, audit.verify().entries());
        }
    }
}
