package io.waymark.agent;

import io.waymark.agent.jdbc.JdbcHook;
import io.waymark.sql.SqlLineage;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's own thread between the JDBC hook and the reporter: parses each distinct statement
 * (JSqlParser, off the host's threads), adds what it reads and writes to the run, and sends a
 * RUNNING update when the lineage grew, at most once per interval. The hand-over queue is bounded;
 * when the host outruns the parser, statements are dropped and counted rather than held.
 */
final class LineageCollector {
    private final BlockingQueue<JdbcHook.Captured> queue = new ArrayBlockingQueue<>(10_000);
    private final RunLineage lineage = new RunLineage();
    private final RunReporter reporter;
    private final long intervalNanos;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private final Object drained = new Object();
    private long lastUpdate = System.nanoTime();
    private boolean pending;
    private volatile boolean pendingDescribed;
    private final List<JdbcHook.Captured> awaitingColumns = new java.util.ArrayList<>();
    /** Tables whose columns were asked of the database (connection namespace and table); used by the agent's thread only. */
    private final java.util.Set<String> askedFor = new java.util.HashSet<>();
    /** Statements handed over and not analysed yet. */
    private final AtomicLong outstanding = new AtomicLong();

    LineageCollector(RunReporter reporter, Duration runningInterval) {
        this.reporter = reporter;
        this.intervalNanos = runningInterval.toNanos();
        this.thread = new Thread(this::work, "waymark-agent-sql");
        thread.setDaemon(true);
        thread.start();
    }

    void offer(JdbcHook.Captured captured) {
        outstanding.incrementAndGet();
        if (!queue.offer(captured)) {
            outstanding.decrementAndGet();
            dropped.incrementAndGet();
        }
    }

    RunLineage lineage() {
        return lineage;
    }

    long dropped() {
        return dropped.get();
    }

    private void work() {
        while (true) {
            JdbcHook.Captured c;
            try {
                c = queue.poll(Math.max(1, TimeUnit.NANOSECONDS.toMillis(intervalNanos)), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (c != null) {
                pending |= analyse(c);
                outstanding.decrementAndGet();
            }
            if (pendingDescribed) {
                pendingDescribed = false;
                pending = true;
            }
            if (pending && System.nanoTime() - lastUpdate >= intervalNanos) {
                pending = false;
                lastUpdate = System.nanoTime();
                reporter.running(lineage.snapshot());
            }
            if (outstanding.get() == 0) {
                synchronized (drained) {
                    drained.notifyAll();
                }
            }
        }
    }

    /** Statements that can read or write data; session settings, transactions and the like carry no lineage. */
    private static final java.util.Set<String> DATA_STATEMENTS = java.util.Set.of("select", "with", "insert", "replace", "upsert", "create",
            "merge", "update", "delete", "values", "truncate", "copy", "(");

    private boolean analyse(JdbcHook.Captured c) {
        String first = c.sql().stripLeading().split("[\\s(]", 2)[0].toLowerCase(java.util.Locale.ROOT);
        if (!DATA_STATEMENTS.contains(first.isEmpty() ? "(" : first)) {
            return false;
        }
        List<SqlLineage.Effect> effects;
        // tables whose columns the analysis needed (a *, an INSERT without a column list) and the run does not know
        java.util.Set<SqlLineage.TableRef> unknown = new java.util.LinkedHashSet<>();
        try {
            effects = SqlLineage.analyseAll(c.sql(), t -> {
                List<String> columns = lineage.columns(c.connection(), t);
                if (columns == null) {
                    unknown.add(t);
                }
                return columns;
            });
        } catch (Exception | StackOverflowError e) {
            return lineage.failed(c.sql(), e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
        }
        boolean changed = false;
        for (SqlLineage.Effect effect : effects) {
            changed |= lineage.add(effect, c.connection());
            if (lineage.outputSchemaUnknown(effect, c.connection())) {
                unknown.add(effect.output());
            }
        }
        boolean asked = false;
        for (SqlLineage.TableRef table : unknown) {
            // each table once: a database that does not describe it is not asked again at every statement
            if (askedFor.add(c.connection().namespace() + "\u0000" + table)) {
                JdbcHook.want(c.connection(), table);
                asked = true;
            }
        }
        // Without those columns a * or an INSERT without a column list has no column lineage yet: try again once they are known.
        if (asked && effects.stream().anyMatch(e -> !e.inputs().isEmpty())) {
            synchronized (awaitingColumns) {
                if (awaitingColumns.size() < 1000) {
                    awaitingColumns.add(c);
                }
            }
        }
        return changed;
    }

    /** Columns read from DatabaseMetaData (on a host thread): recorded, and the statements that needed them analysed again. */
    void described(io.waymark.agent.jdbc.ConnectionInfo connection, java.util.Map<SqlLineage.TableRef, List<SqlLineage.ColumnDef>> tables) {
        boolean changed = false;
        for (var e : tables.entrySet()) {
            changed |= lineage.described(connection, e.getKey(), e.getValue());
        }
        List<JdbcHook.Captured> again;
        synchronized (awaitingColumns) {
            again = List.copyOf(awaitingColumns);
            awaitingColumns.clear();
        }
        again.forEach(this::offer);
        if (changed) {
            pendingDescribed = true;
        }
    }

    /** Waits (at most {@code timeout}) until every queued statement is analysed. */
    void drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (drained) {
            while (outstanding.get() > 0 && System.nanoTime() < deadline) {
                try {
                    drained.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
