package io.waymark.catalog.auth;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * {@code waymark.auth.enabled=false}, for local experiments only: every request without a token
 * acts as an admin named {@code anonymous}, and the log says so at start-up.
 */
@Singleton
@Requires(property = "waymark.auth.enabled", value = "false")
public class AuthDisabled implements AuthenticationFetcher<HttpRequest<?>> {
    private static final Logger LOG = LoggerFactory.getLogger(AuthDisabled.class);

    @EventListener
    void started(ServerStartupEvent event) {
        LOG.warn("""
                *****************************************************************
                 AUTHENTICATION IS DISABLED (waymark.auth.enabled=false).
                 Anyone who reaches this port is an admin. Never run it this way
                 on a network anyone else can reach.
                *****************************************************************""");
    }

    @Override
    public Publisher<Authentication> fetchAuthentication(HttpRequest<?> request) {
        return Publishers.just(Authentication.build("anonymous", Roles.implied(Roles.ADMIN), Map.of(BearerTokenValidator.ROLE, Roles.ADMIN)));
    }

    @Override
    public int getOrder() {
        // After the bearer token fetcher: a token that is sent still names the caller.
        return Integer.MAX_VALUE;
    }
}
