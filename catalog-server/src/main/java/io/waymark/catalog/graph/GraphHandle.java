package io.waymark.catalog.graph;

import org.neo4j.driver.Driver;

import java.util.Optional;

/** The driver together with the embedded DBMS it may own, closed in the right order. */
public record GraphHandle(Driver driver, Optional<EmbeddedNeo4j> embedded, String uri) implements AutoCloseable {
    @Override
    public void close() {
        driver.close();
        embedded.ifPresent(EmbeddedNeo4j::close);
    }
}
