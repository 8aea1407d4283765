package io.waymark.agent.jdbc;

import io.waymark.sql.SqlLineage;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Locale;

/**
 * Where a connection's tables live, named as OpenLineage's naming conventions say: the namespace
 * {@code postgres://host:port}, {@code mysql://host:port}, {@code sqlite://<absolute file>} …,
 * and the defaults that complete a table name to {@code database.schema.table}.
 */
public record ConnectionInfo(String namespace, String dialect, String catalog, String schema) {
    static ConnectionInfo of(Connection connection) throws Exception {
        String url = connection.getMetaData().getURL();
        String catalog = null;
        String schema = null;
        try {
            catalog = connection.getCatalog();
        } catch (Throwable ignored) {
            // Optional in old drivers.
        }
        try {
            schema = connection.getSchema();
        } catch (Throwable ignored) {
            // JDBC 4.1; AbstractMethodError in older drivers.
        }
        return fromUrl(url, catalog, schema);
    }

    static ConnectionInfo fromUrl(String url, String catalog, String schema) {
        String u = url == null ? "jdbc:unknown:" : url;
        String rest = u.startsWith("jdbc:") ? u.substring(5) : u;
        int colon = rest.indexOf(':');
        String sub = (colon < 0 ? rest : rest.substring(0, colon)).toLowerCase(Locale.ROOT);
        String after = colon < 0 ? "" : rest.substring(colon + 1);
        switch (sub) {
            case "sqlite" -> {
                String file = after.startsWith("file:") ? after.substring(5) : after;
                int q = file.indexOf('?');
                file = q >= 0 ? file.substring(0, q) : file;
                if (file.isEmpty() || file.equals(":memory:") || file.startsWith(":memory:")) {
                    return new ConnectionInfo("sqlite://memory", "sqlite", null, null);
                }
                return new ConnectionInfo("sqlite://" + Path.of(file).toAbsolutePath().normalize(), "sqlite", null, null);
            }
            case "postgresql", "postgres", "pgsql", "redshift" -> {
                String scheme = sub.equals("redshift") ? "redshift" : "postgres";
                HostPort hp = hostPort(after, 5432);
                return new ConnectionInfo(scheme + "://" + hp.host + ":" + hp.port, "postgres",
                        catalog != null ? catalog : hp.database, schema != null ? schema : "public");
            }
            case "mysql", "mariadb" -> {
                HostPort hp = hostPort(after, 3306);
                return new ConnectionInfo("mysql://" + hp.host + ":" + hp.port, "mysql", catalog != null ? catalog : hp.database, null);
            }
            case "sqlserver" -> {
                String hostPart = after.startsWith("//") ? after.substring(2) : after;
                int semi = hostPart.indexOf(';');
                String host = semi >= 0 ? hostPart.substring(0, semi) : hostPart;
                return new ConnectionInfo("sqlserver://" + (host.contains(":") ? host : host + ":1433"), "sqlserver", catalog,
                        schema != null ? schema : "dbo");
            }
            case "h2" -> {
                return new ConnectionInfo("h2://" + after.replace(';', '/'), "h2", catalog, schema);
            }
            default -> {
                HostPort hp = hostPort(after, -1);
                String ns = hp.host == null ? sub + "://" + after : sub + "://" + hp.host + (hp.port > 0 ? ":" + hp.port : "");
                return new ConnectionInfo(ns, sub, catalog != null ? catalog : hp.database, schema);
            }
        }
    }

    private record HostPort(String host, int port, String database) {}

    private static HostPort hostPort(String after, int defaultPort) {
        if (!after.startsWith("//")) {
            return new HostPort(null, defaultPort, null);
        }
        try {
            URI uri = URI.create("x:" + after.split("[?;]")[0]);
            String path = uri.getPath();
            String db = path == null || path.length() <= 1 ? null : path.substring(1);
            return new HostPort(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : defaultPort, db);
        } catch (IllegalArgumentException e) {
            return new HostPort(null, defaultPort, null);
        }
    }

    /** The dataset name of a table as the SQL names it: database.schema.table, completed with this connection's defaults. */
    public String datasetName(SqlLineage.TableRef t) {
        return switch (dialect) {
            // SQLite: the file is the database (in the namespace); a table in an attached database keeps its prefix.
            case "sqlite" -> t.schema() == null || t.schema().equalsIgnoreCase("main") ? t.table() : t.schema() + "." + t.table();
            // MySQL has no schemas: database.table.
            case "mysql" -> join(t.schema() != null ? t.schema() : catalog, t.table());
            default -> join(t.catalog() != null ? t.catalog() : catalog, t.schema() != null ? t.schema() : schema, t.table());
        };
    }

    private static String join(String... parts) {
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            if (p != null && !p.isEmpty()) {
                sb.append(sb.length() == 0 ? "" : ".").append(p);
            }
        }
        return sb.toString();
    }
}
