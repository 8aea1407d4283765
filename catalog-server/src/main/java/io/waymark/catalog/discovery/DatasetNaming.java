package io.waymark.catalog.discovery;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dataset names the OpenLineage way (the naming spec), so a table found by a scan and the same
 * table written by Spark or read by the agent are one node: PostgreSQL
 * {@code postgres://host:port} + {@code database.schema.table}, MySQL and MariaDB
 * {@code mysql://host:port} + {@code database.table}, SQLite {@code sqlite://<absolute path>} +
 * {@code table}.
 */
final class DatasetNaming {
    private static final Pattern HOSTED = Pattern.compile("jdbc:(postgresql|mysql|mariadb)://([^/?;]+)/([^?;]*)(.*)");

    /** Where a connection's datasets live and how a table's name is formed. */
    record Source(String product, String namespace, String database) {
        /** The dataset name of a table: schema-qualified where the product has schemas. */
        String name(String schema, String table) {
            return switch (product) {
                case "postgresql" -> database + "." + schema + "." + table;
                case "mysql" -> (schema != null && !schema.isEmpty() ? schema : database) + "." + table;
                default -> table;
            };
        }
    }

    private DatasetNaming() {}

    static Source of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            String path = jdbcUrl.substring("jdbc:sqlite:".length());
            int query = path.indexOf('?');
            path = query >= 0 ? path.substring(0, query) : path;
            if (path.startsWith("file:")) {
                path = path.substring(5);
            }
            if (path.isEmpty() || path.equals(":memory:")) {
                throw new IllegalArgumentException("an in-memory SQLite database has nothing to discover");
            }
            return new Source("sqlite", "sqlite://" + Path.of(path).toAbsolutePath().normalize(), null);
        }
        Matcher m = HOSTED.matcher(jdbcUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("jdbcUrl must be jdbc:postgresql://host[:port]/database, jdbc:mysql://…, jdbc:mariadb://… or jdbc:sqlite:<path>");
        }
        String product = m.group(1).equals("mariadb") ? "mysql" : m.group(1);
        String host = m.group(2).toLowerCase(Locale.ROOT);
        if (host.contains(",")) {
            throw new IllegalArgumentException("one host per connection: a failover list names no single dataset namespace");
        }
        if (!host.contains(":") || host.endsWith("]")) {
            host = host + ":" + (product.equals("postgresql") ? 5432 : 3306);
        }
        String database = m.group(3);
        if (database.isEmpty()) {
            throw new IllegalArgumentException("jdbcUrl names no database");
        }
        return new Source(product, (product.equals("postgresql") ? "postgres" : "mysql") + "://" + host, database);
    }
}
