package io.waymark.catalog.journal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.waymark.catalog.config.JournalConfig;
import io.waymark.catalog.config.PrivateFiles;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * The database under the journal: SQLite in the data directory (the default) or PostgreSQL. Both
 * give one writer at a time, which the journal relies on: ids are handed out in commit order, so
 * a reader following {@code id > watermark} never skips a row that commits later, and the audit
 * chain's head read at the start of a write is still the head at its commit. SQLite has that by
 * its write lock; on PostgreSQL every write transaction first takes one transaction-scoped
 * advisory lock, which serializes writers across all processes sharing the database.
 */
final class JournalDatabase implements AutoCloseable {
    /** The advisory lock key of journal writes ("Waymark" in ASCII). */
    static final long WRITE_LOCK = 0x5761796d61726bL;

    final String dialect;
    /** Reads and single-statement writes. */
    final Jdbi jdbi;
    /** Transactions that read and then write: {@link #lockForWrite} is their first statement. */
    final Jdbi writer;
    private final AutoCloseable pool;

    private JournalDatabase(String dialect, Jdbi jdbi, Jdbi writer, AutoCloseable pool) {
        this.dialect = dialect;
        this.jdbi = jdbi;
        this.writer = writer;
        this.pool = pool;
    }

    static JournalDatabase open(Path dataDir, JournalConfig config) {
        if (config.getUrl() == null) {
            return sqlite(dataDir);
        }
        if (!config.isPostgres()) {
            throw new IllegalArgumentException("waymark.journal.url (WAYMARK_JOURNAL_URL) must be jdbc:postgresql://host[:port]/database, or unset "
                    + "for SQLite in the data directory; got " + config.getUrl().replaceAll("password=[^&]*", "password=…"));
        }
        return postgres(config);
    }

    private static JournalDatabase sqlite(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir, e);
        }
        // The journal holds the audit log and token hashes: the owner's alone. SQLite gives its
        // -wal and -shm files the main file's permissions.
        PrivateFiles.restrict(dir.resolve("journal.db"));
        for (String side : new String[] {"journal.db-wal", "journal.db-shm"}) {
            if (Files.exists(dir.resolve(side))) {
                PrivateFiles.restrict(dir.resolve(side));
            }
        }
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL: the WAL is fsync'd at every commit, so an acknowledged event survives power loss,
        // not only a process crash. Group commit pays that fsync once per batch.
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        sqlite.setBusyTimeout(30_000);
        sqlite.enforceForeignKeys(true);
        SQLiteDataSource dataSource = new SQLiteDataSource(sqlite);
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve("journal.db"));
        Jdbi jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin());
        // The same database for writers: their transactions take the write lock when they begin
        // (BEGIN IMMEDIATE). They read the audit chain's head before appending to it, and a plain
        // transaction would then fail with SQLITE_BUSY when another process (the token command)
        // committed in between, which the busy timeout cannot wait out.
        SQLiteConfig locking = new SQLiteConfig(sqlite.toProperties());
        locking.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource writerSource = new SQLiteDataSource(locking);
        writerSource.setUrl(dataSource.getUrl());
        return new JournalDatabase("sqlite", jdbi, Jdbi.create(writerSource).installPlugin(new SqlObjectPlugin()), () -> { });
    }

    private static JournalDatabase postgres(JournalConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("waymark-journal");
        hikari.setJdbcUrl(config.getUrl());
        if (config.getUser() != null) {
            hikari.setUsername(config.getUser());
        }
        if (config.getPassword() != null) {
            hikari.setPassword(config.getPassword());
        }
        hikari.setMaximumPoolSize(Math.max(2, config.getPoolSize()));
        // Start even when the database is down for a moment: requests then fail (503) and succeed once it is back.
        hikari.setInitializationFailTimeout(-1);
        // A request that needs the journal while the database is away fails after this long (503), not later.
        hikari.setConnectionTimeout(5_000);
        HikariDataSource pool = new HikariDataSource(hikari);
        Jdbi jdbi = Jdbi.create(pool).installPlugin(new SqlObjectPlugin());
        return new JournalDatabase("postgresql", jdbi, jdbi, pool);
    }

    /** The first statement of a write transaction: on PostgreSQL it waits for every other journal writer to finish. */
    void lockForWrite(Handle handle) {
        if (dialect.equals("postgresql")) {
            handle.createQuery("SELECT pg_advisory_xact_lock(:key)::text").bind("key", WRITE_LOCK).mapTo(String.class).list();
        }
    }

    /** Whether a failed transaction was rolled back whole for a reason that goes away by itself, so trying again is right. */
    static boolean retryable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.sqlite.SQLiteException s && s.getResultCode().name().startsWith("SQLITE_BUSY")) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                // serialization failure, deadlock, connection failures, the server shutting down
                if (state.equals("40001") || state.equals("40P01") || state.startsWith("08") || state.equals("57P01")) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void close() {
        try {
            pool.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the journal's connection pool failed", e);
        }
    }
}
