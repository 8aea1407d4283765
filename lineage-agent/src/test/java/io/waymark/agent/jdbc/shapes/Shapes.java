package io.waymark.agent.jdbc.shapes;

import java.sql.SQLException;

/**
 * Methods with the names the weaver looks for, in shapes javac gives real drivers: loops from the
 * first instruction, wide locals, parameters overwritten, try/catch/finally, synchronized,
 * every return type, exceptions. Not a Statement, so the hooks must leave it alone; it must
 * behave exactly as before weaving. (It mentions java/sql/, so the weaver sees it.)
 */
public class Shapes {
    private int calls;

    public boolean execute(String sql) throws SQLException {
        calls++;
        if (sql == null) {
            throw new SQLException("no sql");
        }
        return sql.startsWith("select");
    }

    public long executeLargeUpdate(String sql, double factor, long base) {
        long total = base;
        for (int i = 0; i < sql.length(); i++) {
            total += (long) (factor * i);
        }
        sql = null; // a parameter overwritten with another value
        return total;
    }

    public int executeUpdate(String sql, int[] columns) {
        while (columns.length > 100) {
            columns = new int[0];
        }
        int n = 0;
        try {
            n = Integer.parseInt(sql);
        } catch (NumberFormatException e) {
            n = -1;
        } finally {
            calls++;
        }
        return n;
    }

    public synchronized double executeQuery(String sql, String other) {
        String joined = sql + other;
        Object swapped = joined.length();
        return ((Integer) swapped).doubleValue();
    }

    public void executeBatch() {
        calls++;
    }

    public int[] executeLargeBatch() {
        return calls > 3 ? new int[] {calls} : null;
    }

    public Object prepareStatement(String sql, int flags) {
        return flags == 0 ? null : sql.toUpperCase();
    }

    public void addBatch(String sql) {
        if (sql.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
    }

    public int calls() {
        return calls;
    }
}
