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
 * {@code table}. Products whose drivers load from the drivers directory are named after the
 * same pattern: {@code <product>://host:port} (SQL Server as {@code mssql}) and
 * {@code database.schema.table}, without the database where the URL names none.
 */
final class DatasetNaming {
    private static final Pattern HOSTED = Pattern.compile("jdbc:(postgresql|mysql|mariadb)://([^/?;]+)/([^?;]*)(.*)");
    /** Any other host-based URL: {@code jdbc:<product>[:<sub>…]:[@]//host[:port][/database][;k=v|?k=v…]}. */
    private static final Pattern OTHER = Pattern.compile("jdbc:([a-z0-9]+)(?::[a-z0-9]+)*:@?//([^/?;:]+(?::\\d+)?)(?:/([^?;]*))?(.*)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DATABASE_PROPERTY = Pattern.compile("[;?&](?:databaseName|database|db)=([^;&]+)", Pattern.CASE_INSENSITIVE);

    /** Where a connection's datasets live and how a table's name is formed. */
    record Source(String product, String namespace, String database) {
        /** The dataset name of a table: schema-qualified where the product has schemas. */
        String name(String schema, String table) {
            return switch (product) {
                case "postgresql" -> database + "." + schema + "." + table;
                case "mysql" -> (schema != null && !schema.isEmpty() ? schema : database) + "." + table;
                case "sqlite" -> table;
                default -> (database == null ? "" : database + ".") + (schema == null || schema.isEmpty() ? "" : schema + ".") + table;
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
            return other(jdbcUrl);
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

    /** A product whose driver comes from the drivers directory. */
    private static Source other(String jdbcUrl) {
        Matcher m = OTHER.matcher(jdbcUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("jdbcUrl must be jdbc:postgresql://host[:port]/database, jdbc:mysql://…, jdbc:mariadb://…, "
                    + "jdbc:sqlite:<path>, or for a driver in the drivers directory jdbc:<product>:…//host[:port][/database]");
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        String product = scheme.equals("sqlserver") ? "mssql" : scheme;
        String database = m.group(3);
        if (database != null) {
            // A path names the database by its last segment (H2's tcp://host/~/dir/db names db).
            database = database.substring(database.lastIndexOf('/') + 1);
        }
        Matcher property = DATABASE_PROPERTY.matcher(m.group(4));
        if ((database == null || database.isEmpty()) && property.find()) {
            database = property.group(1);
        }
        return new Source(product, product + "://" + m.group(2).toLowerCase(Locale.ROOT), database == null || database.isEmpty() ? null : database);
    }
}
