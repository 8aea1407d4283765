package io.waymark.catalog.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The defaults are part of the contract the README documents. */
class WaymarkConfigTest {
    @Test
    void defaults() {
        WaymarkConfig config = new WaymarkConfig();
        assertEquals("./data", config.getDataDir());
        assertEquals(5 * 1024 * 1024, config.getMaxEventBytes());
        assertEquals(16 * 1024 * 1024, config.getMaxBatchBytes());
        assertEquals(500, config.getProjectorBatchSize());
        assertEquals(200, config.getLineageFanOutCap());
        assertEquals(50, config.getLineageMaxDepth());
        assertEquals(1000, config.getJournalMaxBatch());
        assertEquals(200, config.getProjectorLingerMillis());
        assertTrue(config.isLineageIndex());
        assertEquals(100_000, config.getLineageNodeCache());
        assertTrue(config.isProjectorEnabled());
        assertEquals(100, config.getAuthFailureBurst());
        assertEquals(128L * 1024 * 1024, config.getMinFreeDiskBytes());
        assertEquals(0, config.getReadConcurrency());
        assertEquals(java.time.Duration.ofSeconds(15), config.getReadTimeout());
        assertEquals(java.time.Duration.ofSeconds(60), config.getClientReadTimeout());
        assertEquals(5.0, config.getAuthFailuresPerSecond());
        Neo4jConfig neo4j = new Neo4jConfig();
        assertNull(neo4j.getUri());
        assertTrue(neo4j.isEmbedded());
        assertEquals("neo4j", neo4j.getUser());
        assertEquals("128m", neo4j.getPageCache());
        neo4j.setUri(" ");
        assertTrue(neo4j.isEmbedded(), "a blank WAYMARK_NEO4J_URI means embedded");
    }
}
