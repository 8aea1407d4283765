package io.waymark.catalog.incident;

import io.waymark.catalog.audit.AuditLog;
import io.waymark.catalog.journal.Journal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The monitor reconciles incidents (a read, then writes) while other writers commit to the same
 * journal database. Seen in CI: SQLITE_BUSY_SNAPSHOT, because a transaction that began as a read
 * cannot take the write lock after another connection committed; the check was lost.
 */
class IncidentsConcurrencyTest {
    @ParameterizedTest
    @MethodSource("io.waymark.catalog.JournalBackends#names")
    void reconcilingWhileOthersWriteLosesNothing(String backend) throws Exception {
        try (Journal journal = io.waymark.catalog.JournalBackends.create(backend).open()) {
            Incidents incidents = new Incidents(journal, new AuditLog(journal));
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            // Other writers: steps of other incidents, committed as fast as they come.
            Thread others = new Thread(() -> {
                for (int i = 0; i < 400; i++) {
                    int n = i;
                    try {
                        journal.jdbi().useExtension(IncidentDao.class, d -> d.event("other", "2026-01-01T00:00:00Z", "noted", "test", "#" + n));
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }
            });
            others.start();
            int rounds = 0;
            while (others.isAlive() || rounds < 20) {
                List<Incidents.Problem> problems = new ArrayList<>();
                for (int p = 0; p < 5; p++) {
                    problems.add(new Incidents.Problem("JOB_FAILING", "job:ns:j" + p, "ns", "j" + p, "run-" + (rounds % 3), "high",
                            "Job ns/j" + p + " is failing", Map.of("round", rounds), null));
                }
                try {
                    incidents.reconcile(problems, Set.of("JOB_FAILING"));
                } catch (RuntimeException e) {
                    failures.add(e);
                }
                rounds++;
            }
            others.join();
            assertTrue(failures.isEmpty(), "writes failed: " + failures.stream().map(Throwable::toString).limit(3).toList());
            assertEquals(5, incidents.page("OPEN", "ns", null, 100, 0).path("totalCount").asInt());
        }
    }
}
