package io.waymark.catalog.config;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.nio.file.Path;

/** Settings under {@code waymark.*}; every one can be overridden by a WAYMARK_* environment variable. */
@ConfigurationProperties("waymark")
public class WaymarkConfig {
    private String dataDir = "./data";
    private int maxEventBytes = 5 * 1024 * 1024;
    /** The largest request body, a batch's included (application.yml gives Micronaut the same limit). */
    private int maxBatchBytes = 16 * 1024 * 1024;
    private int projectorBatchSize = 500;
    private int lineageFanOutCap = 200;
    private int lineageMaxDepth = 50;
    private int journalMaxBatch = 1000;
    private int projectorLingerMillis = 200;
    private boolean lineageIndex = true;
    private int lineageNodeCache = 100_000;
    private boolean projectorEnabled = true;
    private boolean complianceContinuous = true;
    /** Failed authentications one address may make at once, then {@link #authFailuresPerSecond} a second (429 past that). */
    private int authFailureBurst = 100;
    private double authFailuresPerSecond = 5;
    /** Below this much free space in the data directory, writes are refused (507) and projection waits. */
    private long minFreeDiskBytes = 128L * 1024 * 1024;
    /** API graph reads at once (0: two per core, at least 4) and how long one may wait and run. */
    private int readConcurrency = 0;
    private java.time.Duration readTimeout = java.time.Duration.ofSeconds(15);
    /** A connection that sends nothing for this long is closed (a client that stops mid-request, an idle keep-alive). */
    private java.time.Duration clientReadTimeout = java.time.Duration.ofSeconds(60);

    public String getDataDir() { return dataDir; }
    public void setDataDir(String dataDir) { this.dataDir = dataDir; }
    public Path dataPath() { return Path.of(dataDir).toAbsolutePath().normalize(); }

    public int getMaxBatchBytes() { return maxBatchBytes; }
    public void setMaxBatchBytes(int maxBatchBytes) { this.maxBatchBytes = maxBatchBytes; }

    public int getMaxEventBytes() { return maxEventBytes; }
    public void setMaxEventBytes(int maxEventBytes) { this.maxEventBytes = maxEventBytes; }

    public int getProjectorBatchSize() { return projectorBatchSize; }
    public void setProjectorBatchSize(int projectorBatchSize) { this.projectorBatchSize = projectorBatchSize; }

    public int getLineageFanOutCap() { return lineageFanOutCap; }
    public void setLineageFanOutCap(int lineageFanOutCap) { this.lineageFanOutCap = lineageFanOutCap; }

    public int getLineageMaxDepth() { return lineageMaxDepth; }
    public void setLineageMaxDepth(int lineageMaxDepth) { this.lineageMaxDepth = lineageMaxDepth; }

    public int getProjectorLingerMillis() { return projectorLingerMillis; }
    public void setProjectorLingerMillis(int projectorLingerMillis) { this.projectorLingerMillis = projectorLingerMillis; }

    /** False for an ingest-only replica: it journals events and leaves projection to the one projector. */
    public boolean isProjectorEnabled() { return projectorEnabled; }
    public void setProjectorEnabled(boolean projectorEnabled) { this.projectorEnabled = projectorEnabled; }

    public int getLineageNodeCache() { return lineageNodeCache; }
    public void setLineageNodeCache(int lineageNodeCache) { this.lineageNodeCache = lineageNodeCache; }

    public boolean isLineageIndex() { return lineageIndex; }
    public void setLineageIndex(boolean lineageIndex) { this.lineageIndex = lineageIndex; }

    /** Re-evaluate the rule packs for what each projected batch could affect (false: only on request). */
    public int getReadConcurrency() { return readConcurrency; }
    public void setReadConcurrency(int readConcurrency) { this.readConcurrency = readConcurrency; }

    public java.time.Duration getClientReadTimeout() { return clientReadTimeout; }
    public void setClientReadTimeout(java.time.Duration clientReadTimeout) { this.clientReadTimeout = clientReadTimeout; }

    public java.time.Duration getReadTimeout() { return readTimeout; }
    public void setReadTimeout(java.time.Duration readTimeout) { this.readTimeout = readTimeout; }

    public long getMinFreeDiskBytes() { return minFreeDiskBytes; }
    public void setMinFreeDiskBytes(long minFreeDiskBytes) { this.minFreeDiskBytes = minFreeDiskBytes; }

    public int getAuthFailureBurst() { return authFailureBurst; }
    public void setAuthFailureBurst(int authFailureBurst) { this.authFailureBurst = authFailureBurst; }

    public double getAuthFailuresPerSecond() { return authFailuresPerSecond; }
    public void setAuthFailuresPerSecond(double authFailuresPerSecond) { this.authFailuresPerSecond = authFailuresPerSecond; }

    public boolean isComplianceContinuous() { return complianceContinuous; }
    public void setComplianceContinuous(boolean complianceContinuous) { this.complianceContinuous = complianceContinuous; }

    public int getJournalMaxBatch() { return journalMaxBatch; }
    public void setJournalMaxBatch(int journalMaxBatch) { this.journalMaxBatch = journalMaxBatch; }
}
