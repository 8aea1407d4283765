package io.waymark.agent.it;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * The pipeline the end-to-end tests attach the agent to, run in its own JVM: a small JDBC ETL on
 * SQLite that knows nothing about Waymark. Arguments: the database file, then optional modes:
 * {@code fail} (throws at the end), {@code exit=N} (System.exit(N)), {@code jackson} (uses the
 * host's own Jackson and prints its version), {@code statements=N} (N extra single-row inserts
 * with literal values, for the benchmark) and {@code autocommit} (each of those its own transaction).
 */
public final class EtlJob {
    private EtlJob() {}

    public static void main(String[] args) throws Exception {
        String db = args[0];
        if (args.length > 1 && args[1].startsWith("ledger-")) {
            ledger(db, args[1].equals("ledger-setup"));
            return;
        }
        int extra = 0;
        boolean autocommit = false;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("jackson")) {
                Object mapper = Class.forName("com.fasterxml.jackson.databind.ObjectMapper").getConstructor().newInstance();
                String json = (String) mapper.getClass().getMethod("writeValueAsString", Object.class).invoke(mapper, java.util.Map.of("ok", true));
                Object version = Class.forName("com.fasterxml.jackson.databind.cfg.PackageVersion").getField("VERSION").get(null);
                System.out.println("host jackson " + version + " " + json);
            } else if (args[i].equals("autocommit")) {
                autocommit = true;
            } else if (args[i].startsWith("statements=")) {
                extra = Integer.parseInt(args[i].substring("statements=".length()));
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            // SQLite has no hash function; the job brings its own, as real pipelines do.
            org.sqlite.Function.create(c, "sha256", new org.sqlite.Function() {
                @Override
                protected void xFunc() throws SQLException {
                    try {
                        byte[] digest = MessageDigest.getInstance("SHA-256").digest(value_text(0).getBytes(StandardCharsets.UTF_8));
                        result(HexFormat.of().formatHex(digest));
                    } catch (Exception e) {
                        throw new SQLException(e);
                    }
                }
            });
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, country TEXT)");
                s.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, amount REAL, status TEXT)");
                s.execute("CREATE TABLE customer_totals (customer_id INTEGER, email_hash TEXT, order_count INTEGER, total REAL)");
            }
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO customers (id, email, country) VALUES (?, ?, ?)")) {
                for (int i = 1; i <= 50; i++) {
                    p.setInt(1, i);
                    p.setString(2, "user" + i + "@example.com");
                    p.setString(3, i % 2 == 0 ? "DE" : "US");
                    p.addBatch();
                }
                p.executeBatch();
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO orders (id, customer_id, amount, status) VALUES (?, ?, ?, ?)")) {
                for (int i = 1; i <= 200; i++) {
                    p.setInt(1, i);
                    p.setInt(2, 1 + i % 50);
                    p.setDouble(3, 10.0 * (i % 17));
                    p.setString(4, i % 10 == 0 ? "cancelled" : "paid");
                    p.executeUpdate();
                }
            }
            c.commit();
            try (Statement s = c.createStatement()) {
                s.executeUpdate("""
                        INSERT INTO customer_totals (customer_id, email_hash, order_count, total)
                        SELECT c.id, sha256(c.email), COUNT(o.id), SUM(o.amount)
                        FROM customers c JOIN orders o ON o.customer_id = c.id
                        WHERE o.status = 'paid'
                        GROUP BY c.id, c.email""");
                s.executeUpdate("CREATE TABLE big_spenders AS SELECT customer_id, total FROM customer_totals WHERE total > 100");
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM big_spenders")) {
                    r.next();
                    System.out.println("big spenders: " + r.getInt(1));
                }
            }
            c.commit();
            if (extra > 0) {
                // One statement, one transaction: how a plain JDBC job that never turns autocommit off runs.
                c.setAutoCommit(autocommit);
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE IF NOT EXISTS audit_log (id INTEGER, note TEXT)");
                    for (int i = 0; i < extra; i++) {
                        s.executeUpdate("INSERT INTO audit_log (id, note) VALUES (" + i + ", 'row " + i + "')");
                    }
                }
                if (!autocommit) {
                    c.commit();
                }
            }
        }
        finish(args);
    }

    /**
     * Tables made by someone else (setup, run without the agent), then copied by a job that uses
     * an INSERT without a column list and a SELECT *: the agent has to ask the database for the columns.
     */
    private static void ledger(String db, boolean setup) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            if (setup) {
                s.execute("CREATE TABLE ledger (id INTEGER, amount REAL)");
                s.execute("CREATE TABLE ledger_copy (id INTEGER, amount REAL)");
                s.execute("INSERT INTO ledger VALUES (1, 10.5), (2, 20.25)");
                return;
            }
            s.executeUpdate("INSERT INTO ledger_copy SELECT id, amount * 1.1 FROM ledger");
            // The job's last statement: the agent reads the columns it wants as the connection closes.
            s.executeUpdate("CREATE TABLE ledger_star AS SELECT * FROM ledger");
        }
    }

    private static void finish(String[] args) {
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("fail")) {
                throw new IllegalStateException("reconciliation failed: totals do not match");
            }
            if (args[i].startsWith("exit=")) {
                System.exit(Integer.parseInt(args[i].substring(5)));
            }
        }
    }
}
