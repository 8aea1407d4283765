package io.waymark.catalog.graph;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.waymark.catalog.config.Neo4jConfig;
import io.waymark.catalog.config.WaymarkConfig;
import jakarta.inject.Singleton;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Creates the one Neo4j driver of the process, starting the embedded DBMS first when no URI is set. */
@Factory
public class GraphFactory {

    @Context
    @Bean(preDestroy = "close")
    public GraphHandle graphHandle(Neo4jConfig neo4j, WaymarkConfig config, @Value("${waymark.command:serve}") String command) {
        EmbeddedNeo4j embedded = null;
        String uri = neo4j.getUri();
        if (neo4j.isEmbedded()) {
            Path home = config.dataPath().resolve("neo4j");
            // rebuild replaces the whole graph: an empty store is the same graph, reached much faster.
            embedded = command.equals("rebuild") ? EmbeddedNeo4j.startEmpty(home, neo4j.getPageCache())
                    : EmbeddedNeo4j.startOrReplace(home, neo4j.getPageCache());
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
