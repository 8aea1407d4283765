package io.waymark.catalog.discovery;

import io.waymark.policy.classify.Classifier;
import io.waymark.policy.classify.Label;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a database's tables and views through JDBC metadata (columns and types, nullability,
 * primary and foreign keys, comments, row estimates) and samples a bounded number of values per
 * column in a read-only transaction with a statement timeout, to classify them. Sampled values
 * live only in this scan's memory: they are counted by the detectors and dropped; what leaves
 * this class is the structure and the labels.
 */
final class Scanner {
    /** Schemas that hold the database's own catalog, never user data. */
    private static final Set<String> SYSTEM_SCHEMAS = Set.of("information_schema", "pg_catalog", "pg_toast", "mysql", "performance_schema", "sys");
    private static final int QUERY_TIMEOUT_S = 30;
    /** The kinds of relation a scan reads (what JDBC's getTables calls them, across drivers). */
    private static final Set<String> KINDS = Set.of("TABLE", "BASE TABLE", "PARTITIONED TABLE", "VIEW", "MATERIALIZED VIEW");
    /** Longest sampled value kept for the detectors (longer ones are cut: no detector needs more). */
    private static final int MAX_VALUE_CHARS = 256;

    record Column(String name, String type, boolean nullable, String comment, boolean primaryKey, String references, int jdbcType) {}

    /** @param definition a view's SQL as the database keeps it (null for a table, or where it cannot be read) */
    record Table(String schema, String name, String kind, String comment, Long rowEstimate, List<Column> columns, Map<String, List<Label>> labels,
                 String definition) {
        boolean view() {
            return kind.toUpperCase(Locale.ROOT).endsWith("VIEW");
        }
    }

    /** What to read: glob patterns over {@code schema.table} (or {@code table} without schemas). */
    record Filters(List<String> include, List<String> exclude) {
        boolean accepts(String qualified) {
            return include.stream().anyMatch(p -> io.waymark.catalog.model.Globs.pattern(p, true).matcher(qualified).matches())
                    && exclude.stream().noneMatch(p -> io.waymark.catalog.model.Globs.pattern(p, true).matcher(qualified).matches());
        }
    }

    /** The tables and views to read, as (catalog-or-schema, table, kind, comment). */
    static List<String[]> list(Connection c, DatasetNaming.Source source, Filters filters) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        List<String[]> tables = new ArrayList<>();
        boolean mysql = source.product().equals("mysql");
        // All types, then ours: drivers spell them differently (H2 2 says BASE TABLE, PostgreSQL PARTITIONED TABLE).
        try (ResultSet rs = meta.getTables(mysql ? source.database() : null, null, "%", null)) {
            while (rs.next()) {
                if (!KINDS.contains(String.valueOf(rs.getString("TABLE_TYPE")).toUpperCase(Locale.ROOT))) {
                    continue;
                }
                String schema = mysql ? rs.getString("TABLE_CAT") : rs.getString("TABLE_SCHEM");
                String name = rs.getString("TABLE_NAME");
                if (schema != null && SYSTEM_SCHEMAS.contains(schema.toLowerCase(Locale.ROOT)) || name.startsWith("sqlite_")) {
                    continue;
                }
                String qualified = schema == null || source.product().equals("sqlite") ? name : schema + "." + name;
                if (filters.accepts(qualified)) {
                    tables.add(new String[] {schema, name, rs.getString("TABLE_TYPE"), rs.getString("REMARKS")});
                }
            }
        }
        tables.sort(java.util.Comparator.comparing((String[] t) -> String.valueOf(t[0])).thenComparing(t -> t[1]));
        return tables;
    }

    /** Reads one table's structure and samples, and classifies its columns from the samples. */
    static Table read(Connection c, DatasetNaming.Source source, String[] t, int sampleSize) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        boolean mysql = source.product().equals("mysql");
        String catalog = mysql ? t[0] : null;
        String schema = mysql ? null : t[0];
        Set<String> keys = new java.util.HashSet<>();
        try (ResultSet rs = meta.getPrimaryKeys(catalog, schema, t[1])) {
            while (rs.next()) {
                keys.add(rs.getString("COLUMN_NAME"));
            }
        }
        Map<String, String> references = new LinkedHashMap<>();
        try (ResultSet rs = meta.getImportedKeys(catalog, schema, t[1])) {
            while (rs.next()) {
                String target = rs.getString(mysql ? "PKTABLE_CAT" : "PKTABLE_SCHEM");
                references.put(rs.getString("FKCOLUMN_NAME"), source.name(target, rs.getString("PKTABLE_NAME")) + "." + rs.getString("PKCOLUMN_NAME"));
            }
        } catch (SQLException e) {
            // Views and some drivers have no imported keys: the structure is still worth reading.
        }
        List<Column> columns = new ArrayList<>();
        try (ResultSet rs = meta.getColumns(catalog, schema, t[1], "%")) {
            while (rs.next()) {
                String name = rs.getString("COLUMN_NAME");
                columns.add(new Column(name, rs.getString("TYPE_NAME"), rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls,
                        rs.getString("REMARKS"), keys.contains(name), references.get(name), rs.getInt("DATA_TYPE")));
            }
        }
        Map<String, List<String>> samples = sample(c, meta, catalog, schema, t[1], columns, sampleSize);
        Map<String, List<Label>> labels = samples.isEmpty() ? Map.of()
                : new Classifier(LocalDate.now(ZoneOffset.UTC)).classify(samples);
        samples.clear();
        Table read = new Table(t[0], t[1], t[2], t[3], rowEstimate(c, source, t[0], t[1]), columns, labels, null);
        return read.view() ? new Table(t[0], t[1], t[2], t[3], null, columns, labels, viewDefinition(c, source, t[0], t[1])) : read;
    }

    /** Up to {@code size} values of each sampleable column, read-only, under a statement timeout. */
    private static Map<String, List<String>> sample(Connection c, DatabaseMetaData meta, String catalog, String schema, String table,
                                                    List<Column> columns, int size) throws SQLException {
        List<Column> sampled = columns.stream().filter(col -> sampleable(col.jdbcType())).toList();
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (sampled.isEmpty() || size == 0) {
            return values;
        }
        String quote = meta.getIdentifierQuoteString().strip();
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < sampled.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(quoted(quote, sampled.get(i).name()));
            values.put(sampled.get(i).name(), new ArrayList<>());
        }
        sql.append(" FROM ");
        String owner = catalog != null ? catalog : schema;
        if (owner != null) {
            sql.append(quoted(quote, owner)).append('.');
        }
        sql.append(quoted(quote, table)).append(" LIMIT ").append(size);
        try (Statement s = c.createStatement()) {
            s.setQueryTimeout(QUERY_TIMEOUT_S);
            s.setMaxRows(size);
            s.setFetchSize(Math.min(size, 500));
            try (ResultSet rs = s.executeQuery(sql.toString())) {
                while (rs.next()) {
                    for (int i = 0; i < sampled.size(); i++) {
                        String v = rs.getString(i + 1);
                        if (v != null) {
                            values.get(sampled.get(i).name()).add(v.length() > MAX_VALUE_CHARS ? v.substring(0, MAX_VALUE_CHARS) : v);
                        }
                    }
                }
            }
        }
        return values;
    }

    private static String quoted(String quote, String identifier) {
        return quote.isEmpty() ? identifier : quote + identifier.replace(quote, quote + quote) + quote;
    }

    private static boolean sampleable(int jdbcType) {
        return switch (jdbcType) {
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB, Types.ARRAY, Types.STRUCT, Types.REF, Types.JAVA_OBJECT,
                 Types.OTHER, Types.SQLXML, Types.BOOLEAN, Types.BIT -> false;
            default -> true;
        };
    }

    /**
     * A view's query as the database keeps it: PostgreSQL and MySQL give the SELECT (PostgreSQL
     * leaves tables on the search path unqualified), SQLite the CREATE VIEW statement as written.
     */
    private static String viewDefinition(Connection c, DatasetNaming.Source source, String schema, String view) {
        String sql = switch (source.product()) {
            case "postgresql" -> "SELECT pg_get_viewdef(c.oid, true) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?";
            case "sqlite" -> "SELECT sql FROM sqlite_master WHERE type = 'view' AND name = ?";
            default -> "SELECT view_definition FROM information_schema.views WHERE table_schema = ? AND table_name = ?";
        };
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setQueryTimeout(QUERY_TIMEOUT_S);
            if (source.product().equals("sqlite")) {
                s.setString(1, view);
            } else {
                s.setString(1, schema);
                s.setString(2, view);
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            // Not allowed to read it (MySQL hides other users' definitions): the view is still worth listing.
            return null;
        }
    }

    /** The planner's row estimate where the database keeps one cheaply; null where it does not. */
    private static Long rowEstimate(Connection c, DatasetNaming.Source source, String schema, String table) {
        String sql = switch (source.product()) {
            case "postgresql" -> "SELECT c.reltuples::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?";
            case "mysql" -> "SELECT table_rows FROM information_schema.tables WHERE table_schema = ? AND table_name = ?";
            default -> null;
        };
        if (sql == null) {
            return null;
        }
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setQueryTimeout(QUERY_TIMEOUT_S);
            s.setString(1, schema);
            s.setString(2, table);
            try (ResultSet rs = s.executeQuery()) {
                // PostgreSQL says -1 for a table never analysed: no estimate, not an empty table.
                return rs.next() && rs.getLong(1) >= 0 ? rs.getLong(1) : null;
            }
        } catch (SQLException e) {
            return null;
        }
    }
}
