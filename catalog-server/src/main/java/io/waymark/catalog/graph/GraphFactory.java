package io.waymark.catalog.graph;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.waymark.catalog.config.Neo4jConfig;
import io.waymark.catalog.config.WaymarkConfig;
import jakarta.inject.Singleton;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Creates the one Neo4j driver of the process, starting the embedded DBMS first when no URI is set. */
@Factory
public class GraphFactory {

    @Context
    @Bean(preDestroy = "close")
    public GraphHandle graphHandle(Neo4jConfig neo4j, WaymarkConfig config) {
        EmbeddedNeo4j embedded = null;
        String uri = neo4j.getUri();
        if (neo4j.isEmbedded()) {
            embedded = EmbeddedNeo4j.startOrReplace(config.dataPath().resolve("neo4j"), neo4j.getPageCache());
            uri = embedded.boltUri();
        }
        Config driverConfig = Config.builder()
                .withMaxConnectionPoolSize(neo4j.getMaxConnectionPoolSize())
                .withConnectionAcquisitionTimeout(30, TimeUnit.SECONDS)
                .withLogging(Logging.slf4j())
                .build();
        Driver driver = neo4j.isEmbedded()
                ? GraphDatabase.driver(uri, embedded.authToken(), driverConfig)
                : GraphDatabase.driver(uri, AuthTokens.basic(neo4j.getUser(), neo4j.getPassword()), driverConfig);
        driver.verifyConnectivity();
        GraphHandle handle = new GraphHandle(driver, Optional.ofNullable(embedded), uri);
        GraphSchema.apply(driver);
        return handle;
    }

    @Singleton
    public Driver driver(GraphHandle handle) {
        return handle.driver();
    }
}
