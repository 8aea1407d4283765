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

    /** What the last checks found: null where a part answered, else why not; the journal's newest id. */
    record Checks(String graphDown, String journalDown, long maxId) {}

    /** One check's last outcome: null when it answered, else why not; when it ran. */
    private record Outcome(String down, long value, long atNanos) {}

    private final Driver driver;
    private final Journal journal;
    private final java.util.List<Thread> threads = new java.util.ArrayList<>();
    private volatile Outcome graph;
    private volatile Outcome journalCheck;
    private volatile boolean running = true;

    public HealthProbe(Driver driver, Journal journal) {
        this.driver = driver;
        this.journal = journal;
        this.graph = checkGraph();
        this.journalCheck = checkJournal();
        // A thread per check: a database that hangs (a journal connection waiting out its timeout)
        // does not hold back the other's verdict.
        start("health-probe-graph", () -> graph = checkGraph());
        start("health-probe-journal", () -> journalCheck = checkJournal());
    }

    /** The latest results, with DOWN for a part whose check stopped coming back. */
    Checks current() {
        Outcome g = graph;
        Outcome j = journalCheck;
        return new Checks(verdict(g), verdict(j), j.value());
    }

    private static String verdict(Outcome o) {
        long age = System.nanoTime() - o.atNanos();
        return age > STALE.toNanos() ? "no answer to the health check for " + age / 1_000_000_000 + " s" : o.down();
    }

    private void start(String name, Runnable check) {
        Thread thread = new Thread(() -> {
            while (running) {
                try {
                    Thread.sleep(INTERVAL.toMillis());
                    check.run();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.debug("health check failed", e);
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        threads.add(thread);
    }

    private Outcome checkGraph() {
        try {
            // A query, not only a connection: a database that panicked (a full disk) still accepts logins.
            // One attempt, not a managed transaction: the driver's retries would hold the verdict back for half a minute.
            try (var session = driver.session()) {
                session.run("RETURN 1", TransactionConfig.builder().withTimeout(Duration.ofSeconds(2)).build()).consume();
            }
            return new Outcome(null, 0, System.nanoTime());
        } catch (RuntimeException e) {
            return new Outcome(String.valueOf(e.getMessage()), 0, System.nanoTime());
        }
    }

    private Outcome checkJournal() {
        try {
            return new Outcome(null, journal.read(dao -> dao.maxId()), System.nanoTime());
        } catch (RuntimeException e) {
            return new Outcome(String.valueOf(e.getMessage()), journalCheck == null ? 0 : journalCheck.value(), System.nanoTime());
        }
    }

    @PreDestroy
    void close() {
        running = false;
        threads.forEach(Thread::interrupt);
    }
}
