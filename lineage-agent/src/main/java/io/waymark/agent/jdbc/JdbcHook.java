package io.waymark.agent.jdbc;

import io.waymark.sql.SqlLineage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What the hooks woven into JDBC drivers call ({@link JdbcInstrumentation}). Runs on the host's threads, so it does as little
 * as it can: it notes the SQL of prepared statements and batches, and after a statement succeeded
 * it hands (SQL with its literals blanked, connection facts) to the agent once per distinct
 * statement; parsing happens on the agent's own thread. It never throws (the woven call sites drop
 * anything), and statements the agent or a driver runs inside another statement are not counted.
 */
public final class JdbcHook {
    /** A statement the host ran, as the agent analyses it. */
    public record Captured(String sql, ConnectionInfo connection) {}

    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
    private static final Map<Object, String> PREPARED = Collections.synchronizedMap(new WeakHashMap<>());
    private static final Map<Object, List<String>> BATCHES = Collections.synchronizedMap(new WeakHashMap<>());
    private static final Map<Connection, ConnectionInfo> CONNECTIONS = Collections.synchronizedMap(new WeakHashMap<>());
    private static final int MAX_SEEN = 50_000;
    private static final Set<Captured> SEEN = ConcurrentHashMap.newKeySet();
    private static volatile Consumer<Captured> sink;
    /** Tables whose columns the agent wants, per connection; answered on the host's thread (see {@link #describePending}). */
    private static final Map<ConnectionInfo, Set<SqlLineage.TableRef>> WANTED = new ConcurrentHashMap<>();
    private static volatile java.util.function.BiConsumer<ConnectionInfo, Map<SqlLineage.TableRef, List<SqlLineage.ColumnDef>>> described;

    /** Waits, at most the given time, until the agent has analysed every statement captured so far. */
    private static volatile Consumer<java.time.Duration> analysis;
    /** What is left of the time closing connections may wait for {@link #analysis}, in all, over the run. */
    private static final java.util.concurrent.atomic.AtomicLong CLOSE_WAIT_NANOS = new java.util.concurrent.atomic.AtomicLong();

    private JdbcHook() {}

    /**
     * Lets a closing connection wait for the analysis of the statements before it (see
     * {@link #closing}), for at most {@code budget} over the whole run.
     */
    public static void onClosing(Consumer<java.time.Duration> awaitAnalysis, java.time.Duration budget) {
        CLOSE_WAIT_NANOS.set(budget.toNanos());
        analysis = awaitAnalysis;
    }

    public static void install(Consumer<Captured> consumer) {
        sink = consumer;
    }

    /** Where the columns of wanted tables go once read from DatabaseMetaData. */
    public static void onDescribed(java.util.function.BiConsumer<ConnectionInfo, Map<SqlLineage.TableRef, List<SqlLineage.ColumnDef>>> consumer) {
        described = consumer;
    }

    /** Asks for a table's columns, read on the host's thread at its next statement on a connection to that database. */
    public static void want(ConnectionInfo connection, SqlLineage.TableRef table) {
        WANTED.computeIfAbsent(connection, k -> ConcurrentHashMap.newKeySet()).add(table);
    }

    /** At the start of an execute method (woven into any class that declares one: only a Statement counts). */
    public static void enter(Object statement) {
        if (statement instanceof Statement) {
            DEPTH.get()[0]++;
        }
    }

    /** After an execute method with the SQL as its argument (null: a prepared statement's, or a batch's). */
    public static void exit(Object statement, String sql, boolean succeeded) {
        if (!(statement instanceof Statement s)) {
            return;
        }
        int[] depth = DEPTH.get();
        depth[0]--;
        if (depth[0] > 0 || !succeeded || sink == null) {
            return;
        }
        depth[0]++;
        try {
            if (sql != null) {
                capture(s, sql);
            } else if (statement instanceof PreparedStatement) {
                String prepared = PREPARED.get(statement);
                if (prepared != null) {
                    capture(s, prepared);
                }
            } else {
                List<String> batch = BATCHES.remove(statement);
                if (batch != null) {
                    for (String b : batch) {
                        capture(s, b);
                    }
                }
            }
        } catch (Throwable ignored) {
            // The host's statement succeeded; whatever went wrong here is the agent's loss only.
        } finally {
            depth[0]--;
        }
    }

    public static void prepared(Object statement, String sql) {
        if (statement instanceof Statement && sql != null) {
            PREPARED.put(statement, sql);
        }
    }

    public static void addBatch(Object statement, String sql) {
        if (statement instanceof Statement && sql != null) {
            BATCHES.computeIfAbsent(statement, k -> Collections.synchronizedList(new ArrayList<>())).add(sql);
        }
    }

    /** The host discards a batch; a driver clearing it inside its own executeBatch (SQLite does) has not run it yet for us. */
    public static void clearBatch(Object statement) {
        if (DEPTH.get()[0] == 0) {
            BATCHES.remove(statement);
        }
    }

    /**
     * Before the host closes a connection: the last chance to read, on it, the columns of tables
     * the agent wants, which a job's last statement may have asked for (a CTAS … SELECT * over a
     * table the run did not create, then exit). The statements still being parsed are waited for
     * first, from a budget all closes of the run share, so a pool that closes connections often
     * pays it once at most.
     */
    public static void closing(Object connection) {
        int[] depth = DEPTH.get();
        if (!(connection instanceof Connection c) || depth[0] > 0) {
            return;
        }
        depth[0]++;
        try {
            ConnectionInfo info = CONNECTIONS.get(c);
            if (info == null || c.isClosed()) {
                return;
            }
            long left = CLOSE_WAIT_NANOS.get();
            Consumer<java.time.Duration> await = analysis;
            if (left > 0 && await != null) {
                long started = System.nanoTime();
                await.accept(java.time.Duration.ofNanos(left));
                CLOSE_WAIT_NANOS.addAndGet(-(System.nanoTime() - started));
            }
            describePending(c, info);
        } catch (Throwable ignored) {
            // The host's close goes on; what went wrong here is the agent's loss only.
        } finally {
            depth[0]--;
        }
    }

    private static void capture(Statement statement, String sql) throws Exception {
        Connection connection = statement.getConnection();
        ConnectionInfo info = CONNECTIONS.get(connection);
        if (info == null) {
            info = ConnectionInfo.of(connection);
            CONNECTIONS.put(connection, info);
        }
        describePending(connection, info);
        Captured captured = new Captured(SqlText.normalise(sql), info);
        // A statement run again (a loop, a batch, another row's literals) adds no lineage.
        if (SEEN.size() < MAX_SEEN ? SEEN.add(captured) : !SEEN.contains(captured)) {
            sink.accept(captured);
        }
    }

    /**
     * Reads the columns of tables the agent asked for, with this connection's DatabaseMetaData, on
     * the host's thread (a connection may not be shared with another thread). Only with autocommit
     * on: inside the host's transaction a failing catalog query could abort the transaction on some
     * databases (PostgreSQL), and the host's work is never put at risk for a schema facet.
     */
    private static void describePending(Connection connection, ConnectionInfo info) {
        Set<SqlLineage.TableRef> wanted = WANTED.get(info);
        if (wanted == null || wanted.isEmpty() || described == null) {
            return;
        }
        try {
            if (!connection.getAutoCommit()) {
                return;
            }
        } catch (Throwable e) {
            return;
        }
        Map<SqlLineage.TableRef, List<SqlLineage.ColumnDef>> found = new java.util.LinkedHashMap<>();
        for (SqlLineage.TableRef t : List.copyOf(wanted)) {
            wanted.remove(t);
            List<SqlLineage.ColumnDef> columns = new ArrayList<>();
            try (java.sql.ResultSet rs = connection.getMetaData().getColumns(t.catalog() != null ? t.catalog() : info.catalog(),
                    t.schema() != null ? t.schema() : info.schema(), t.table(), null)) {
                while (rs.next()) {
                    columns.add(new SqlLineage.ColumnDef(rs.getString("COLUMN_NAME"), rs.getString("TYPE_NAME")));
                }
            } catch (Throwable e) {
                continue;
            }
            if (!columns.isEmpty()) {
                found.put(t, columns);
            }
        }
        if (!found.isEmpty()) {
            described.accept(info, found);
        }
    }

    /** For tests and the next run in the same JVM. */
    static void reset() {
        SEEN.clear();
        WANTED.clear();
    }
}
