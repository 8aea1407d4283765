package io.waymark.catalog.cluster;

import io.waymark.catalog.config.JournalConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which replica does the background work (projection, propagation, continuous compliance, the
 * monitor, alert delivery, Ranger sync, retention and scheduled scans): the one holding a
 * session-level PostgreSQL advisory lock on the shared journal database. The lock lives as long
 * as its connection, so a leader that dies (kill -9, a lost network) frees it as soon as
 * PostgreSQL sees the connection close, and a follower, which tries every {@link #INTERVAL},
 * takes over. A leader checks its connection as often; when the check fails it steps down at
 * once rather than go on writing beside a new leader. With the journal in SQLite there is one
 * process by construction, and it leads.
 */
@Singleton
public class Leadership {
    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
    /** The advisory lock key of leadership ("WaymarkL" in ASCII). */
    static final long LOCK = 0x5761796d61726b4cL;
    static final Duration INTERVAL = Duration.ofSeconds(1);

    /** Told when this replica starts or stops leading. */
    public interface Listener {
        void leadershipChanged(boolean leader);
    }

    private final JournalConfig config;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean leader;
    private volatile boolean running = true;
    private Connection connection;

    public Leadership(JournalConfig config) {
        this.config = config;
        if (!config.isPostgres()) {
            leader = true;
            thread = null;
            return;
        }
        tryToLead();
        thread = new Thread(this::loop, "leadership");
        thread.setDaemon(true);
        thread.start();
    }

    public boolean isLeader() {
        return leader;
    }

    /** Whether a scheduled duty should run here: {@code leadership} is null where a class is used outside the server (tests, commands). */
    public static boolean leads(Leadership leadership) {
        return leadership == null || leadership.isLeader();
    }

    /** {@code leader}, {@code follower}, or {@code single} (SQLite journal: one process, which leads). */
    public String role() {
        return !config.isPostgres() ? "single" : leader ? "leader" : "follower";
    }

    public void onChange(Listener listener) {
        listeners.add(listener);
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(INTERVAL.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            if (leader) {
                if (!stillHeld()) {
                    LOG.warn("lost the leadership lock's connection: stepping down; another replica takes over the background work");
                    closeConnection();
                    set(false);
                }
            } else {
                tryToLead();
            }
        }
    }

    private void tryToLead() {
        try {
            if (connection == null || !connection.isValid(2)) {
                closeConnection();
                Properties props = new Properties();
                if (config.getUser() != null) {
                    props.setProperty("user", config.getUser());
                }
                if (config.getPassword() != null) {
                    props.setProperty("password", config.getPassword());
                }
                // Dead peers must be noticed: without keepalives a vanished leader's lock could outlive it for hours.
                props.setProperty("tcpKeepAlive", "true");
                props.setProperty("connectTimeout", "5");
                props.setProperty("socketTimeout", "10");
                props.setProperty("ApplicationName", "waymark-leadership");
                connection = DriverManager.getConnection(config.getUrl(), props);
            }
            try (PreparedStatement s = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                s.setLong(1, LOCK);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next() && r.getBoolean(1)) {
                        LOG.info("this replica leads: it runs projection and the background work");
                        set(true);
                    }
                }
            }
        } catch (SQLException e) {
            LOG.debug("cannot try for leadership now: {}", e.getMessage());
            closeConnection();
        }
    }

    private boolean stillHeld() {
        try (PreparedStatement s = connection.prepareStatement("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted")) {
            s.setQueryTimeout(5);
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getLong(1) > 0;
            }
        } catch (SQLException e) {
            return false;
        }
    }

    private void set(boolean leading) {
        if (leader == leading) {
            return;
        }
        leader = leading;
        for (Listener l : listeners) {
            try {
                l.leadershipChanged(leading);
            } catch (RuntimeException e) {
                LOG.warn("{} failed on a change of leadership", l.getClass().getSimpleName(), e);
            }
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already gone: its lock went with it
            }
            connection = null;
        }
    }

    @PreDestroy
    void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Closing the connection frees the lock at once: a follower takes over within a second.
        closeConnection();
        leader = false;
    }
}
