package io.waymark.catalog.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.waymark.catalog.lineage.LineageService;
import org.neo4j.driver.Driver;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms the read API before the server takes requests (the start-up event comes before the HTTP
 * server binds, so {@code /health} is not UP until this is done): the first event after start
 * should be readable within a second, and its first read, planned on a cold JVM, took half of it.
 * It runs after the projection's warm-up: run beside it (on its own thread from an early bean) it
 * made start-up no shorter on two cores and the first read slow again. Only {@code serve} reads; the
 * commands that share the context do not wait for this.
 */
@Singleton
@Requires(property = "waymark.command", value = "serve", defaultValue = "serve")
final class ReadWarmup implements ApplicationEventListener<StartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(ReadWarmup.class);
    private final CatalogService catalog;
    private final Driver driver;

    ReadWarmup(CatalogService catalog, Driver driver) {
        this.catalog = catalog;
        this.driver = driver;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        long started = System.nanoTime();
        try {
            catalog.warmUp();
            LineageService.warmUp(driver);
            LOG.info("reads warmed up in {} ms", (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            // Only a warm-up: the first reads pay for the planning instead.
            LOG.info("read warm-up skipped: {}", e.toString());
        }
    }
}
