package io.waymark.catalog.auth;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

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
    private final ExecutorService blocking;

    public BearerTokenValidator(ApiTokens tokens, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.tokens = tokens;
        this.blocking = blocking;
    }

    /**
     * A token in memory is answered here, on the event loop; any other is looked up in the journal
     * on the blocking executor, so the event loops (which also route every other request and
     * answer {@code /health}) never wait on the database for a token someone made up.
     */
    @Override
    public Publisher<Authentication> validateToken(String token, HttpRequest<?> request) {
        Optional<ApiToken> known = tokens.known(token);
        if (known.isPresent()) {
            return Publishers.just(authentication(known.get()));
        }
        if (token == null || token.isBlank()) {
            return Publishers.empty();
        }
        // An empty lookup completes with null, which the publisher turns into no authentication.
        return Publishers.fromCompletableFuture(() -> CompletableFuture.supplyAsync(
                () -> tokens.authenticate(token).map(BearerTokenValidator::authentication).orElse(null), blocking));
    }

    private static Authentication authentication(ApiToken t) {
        return Authentication.build(t.name(), Roles.implied(t.role()), Map.of(ROLE, t.role(), TOKEN_ID, t.id()));
    }
}
