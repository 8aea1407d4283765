package io.waymark.catalog.config;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Where the journal lives. With no {@code url} it is SQLite in the data directory
 * ({@code journal.db}); {@code jdbc:postgresql://host:port/database} puts it on PostgreSQL, which
 * several replicas can share. Settings come from {@code WAYMARK_JOURNAL_URL},
 * {@code WAYMARK_JOURNAL_USER}, {@code WAYMARK_JOURNAL_PASSWORD} and {@code WAYMARK_JOURNAL_POOL_SIZE}.
 */
@ConfigurationProperties("waymark.journal")
public class JournalConfig {
    private String url;
    private String user;
    private String password;
    private int poolSize = 16;

    /** The settings from WAYMARK_JOURNAL_* environment variables, for commands that run without the server's context. */
    public static JournalConfig fromEnvironment() {
        JournalConfig c = new JournalConfig();
        c.setUrl(System.getenv("WAYMARK_JOURNAL_URL"));
        c.setUser(System.getenv("WAYMARK_JOURNAL_USER"));
        c.setPassword(System.getenv("WAYMARK_JOURNAL_PASSWORD"));
        String pool = System.getenv("WAYMARK_JOURNAL_POOL_SIZE");
        if (pool != null && !pool.isBlank()) {
            c.setPoolSize(Integer.parseInt(pool.strip()));
        }
        return c;
    }

    public String getUrl() { return url; }
    public void setUrl(String url) { this.url = url == null || url.isBlank() ? null : url.strip(); }
    public boolean isPostgres() { return url != null && url.startsWith("jdbc:postgresql:"); }

    public String getUser() { return user; }
    public void setUser(String user) { this.user = user; }

    public String getPassword() { return password; }
    public void setPassword(String password) { this.password = password; }

    public int getPoolSize() { return poolSize; }
    public void setPoolSize(int poolSize) { this.poolSize = poolSize; }
}
