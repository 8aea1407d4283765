package io.waymark.catalog;

import io.waymark.catalog.config.JournalConfig;
import io.waymark.catalog.config.WaymarkConfig;
import io.waymark.catalog.journal.Journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The journal's databases for tests that run on each: SQLite in a temporary data directory and a
 * fresh database on the real PostgreSQL server ({@link PostgresServer}).
 */
public final class JournalBackends {
    private JournalBackends() {}

    /** The backends' names, for {@code @MethodSource("io.waymark.catalog.JournalBackends#names")}. */
    public static Stream<String> names() {
        return Stream.of("sqlite", "postgresql");
    }

    /** A new, empty journal store on a backend: a data directory, or a data directory and a database. */
    public static Store create(String backend) throws Exception {
        Path dir = Files.createTempDirectory("journal-" + backend);
        if (backend.equals("sqlite")) {
            return new Store(dir, new JournalConfig());
        }
        PostgresServer pg = PostgresServer.get();
        String database = "journal_" + UUID.randomUUID().toString().replace("-", "");
        pg.sql("postgres", "CREATE DATABASE " + database);
        JournalConfig config = new JournalConfig();
        config.setUrl(pg.jdbcUrl(database));
        config.setUser("postgres");
        config.setPassword(PostgresServer.PASSWORD);
        config.setPoolSize(4);
        return new Store(dir, config);
    }

    /** Where a journal lives; {@link #open()} may be called more than once, as several processes would. */
    public record Store(Path dataDir, JournalConfig config) {
        public Journal open() {
            WaymarkConfig waymark = new WaymarkConfig();
            waymark.setDataDir(dataDir.toString());
            return new Journal(waymark, config);
        }

        /** WAYMARK_* settings that make a child process use this store. */
        public java.util.Map<String, String> environment() {
            java.util.Map<String, String> env = new java.util.HashMap<>();
            if (config.getUrl() != null) {
                env.put("WAYMARK_JOURNAL_URL", config.getUrl());
                env.put("WAYMARK_JOURNAL_USER", config.getUser());
                env.put("WAYMARK_JOURNAL_PASSWORD", config.getPassword());
            }
            return env;
        }
    }
}
