package io.waymark.catalog.ops;

import io.waymark.catalog.journal.Journal;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.neo4j.driver.Driver;
import org.neo4j.driver.TransactionConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The checks behind {@code GET /health}, run by a thread of their own once a second rather than
 * by each request: under load a probe's Neo4j session and journal connection waited their turn
 * with the work it was asking about (p99 300 ms while 96 viewers read a huge job), and a health
 * check that many monitors poll should cost the server nothing. A check that stops answering
 * shows as DOWN once its result is older than {@link #STALE}.
 */
@Singleton
public class HealthProbe {
    private static final Logger LOG = LoggerFactory.getLogger(HealthProbe.class);
    static final Duration INTERVAL = Duration.ofSeconds(1);
    static final Duration STALE = Duration.ofSeconds(5);

    /** What the last round found: null where a part answered, else why not; the journal's newest id. */
    record Checks(String graphDown, String journalDown, long maxId, long atNanos) {}

    private final Driver driver;
    private final Journal journal;
    private final Thread thread;
    private volatile Checks last;
    private volatile boolean running = true;

    public HealthProbe(Driver driver, Journal journal) {
        this.driver = driver;
        this.journal = journal;
        this.last = check();
        this.thread = new Thread(this::loop, "health-probe");
        thread.setDaemon(true);
        thread.start();
    }

    /** The latest round's result, or a DOWN verdict for each part whose checks stopped coming back. */
    Checks current() {
        Checks c = last;
        long age = System.nanoTime() - c.atNanos();
        if (age > STALE.toNanos()) {
            String why = "no answer to the health check for " + age / 1_000_000_000 + " s";
            return new Checks(why, why, c.maxId(), c.atNanos());
        }
        return c;
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(INTERVAL.toMillis());
                last = check();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.debug("health check round failed", e);
            }
        }
    }

    private Checks check() {
        String graphDown = null;
        try {
            // A query, not only a connection: a database that panicked (a full disk) still accepts logins.
            try (var session = driver.session()) {
                session.executeRead(tx -> tx.run("RETURN 1").consume(), TransactionConfig.builder().withTimeout(Duration.ofSeconds(2)).build());
            }
        } catch (RuntimeException e) {
            graphDown = String.valueOf(e.getMessage());
        }
        String journalDown = null;
        long maxId = last == null ? 0 : last.maxId();
        try {
            maxId = journal.read(dao -> dao.maxId());
        } catch (RuntimeException e) {
            journalDown = String.valueOf(e.getMessage());
        }
        return new Checks(graphDown, journalDown, maxId, System.nanoTime());
    }

    @PreDestroy
    void close() {
        running = false;
        thread.interrupt();
    }
}
