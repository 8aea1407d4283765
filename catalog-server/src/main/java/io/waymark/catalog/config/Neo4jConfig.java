package io.waymark.catalog.config;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Where the lineage graph lives. With no {@code uri} Waymark starts an embedded Neo4j under the
 * data directory and talks to it over Bolt exactly as it would to an external server.
 */
@ConfigurationProperties("waymark.neo4j")
public class Neo4jConfig {
    private String uri;
    private String user = "neo4j";
    private String password = "";
    private String pageCache = "128m";
    private int maxConnectionPoolSize = 32;

    public String getUri() { return uri; }
    public void setUri(String uri) { this.uri = uri == null || uri.isBlank() ? null : uri; }
    public boolean isEmbedded() { return uri == null; }

    public String getUser() { return user; }
    public void setUser(String user) { this.user = user; }

    public String getPassword() { return password; }
    public void setPassword(String password) { this.password = password; }

    public String getPageCache() { return pageCache; }
    public void setPageCache(String pageCache) { this.pageCache = pageCache; }

    public int getMaxConnectionPoolSize() { return maxConnectionPoolSize; }
    public void setMaxConnectionPoolSize(int maxConnectionPoolSize) { this.maxConnectionPoolSize = maxConnectionPoolSize; }
}
