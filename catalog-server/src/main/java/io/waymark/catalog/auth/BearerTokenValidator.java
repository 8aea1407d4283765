package io.waymark.catalog.auth;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.util.Map;

/**
 * Checks the bearer token Micronaut Security read from {@code Authorization: Bearer …} (what the
 * OpenLineage clients send for their api_key auth) against the stored tokens. The principal is
 * the token's name; its roles are those its role implies.
 */
@Singleton
public class BearerTokenValidator implements TokenValidator<HttpRequest<?>> {
    public static final String ROLE = "waymark.role";
    public static final String TOKEN_ID = "waymark.tokenId";

    private final ApiTokens tokens;

    public BearerTokenValidator(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Publisher<Authentication> validateToken(String token, HttpRequest<?> request) {
        return tokens.authenticate(token)
                .map(t -> Publishers.just(Authentication.build(t.name(), Roles.implied(t.role()), Map.of(ROLE, t.role(), TOKEN_ID, t.id()))))
                .orElseGet(Publishers::empty);
    }
}
