package io.waymark.catalog.auth;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.Router;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.audit.AuditLog;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * 401 (no valid token) and 403 (a token whose role may not do this) as the API's JSON errors,
 * each recorded in the audit log. The token itself is never recorded, only whether one was sent.
 */
@Singleton
@Replaces(DefaultAuthorizationExceptionHandler.class)
public class AuthRejections implements ExceptionHandler<AuthorizationException, MutableHttpResponse<?>> {
    private static final List<HttpMethod> METHODS = List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH);
    private final AuditLog audit;
    private final Router router;
    private final FailedAuthentications failures;

    public AuthRejections(AuditLog audit, Router router, FailedAuthentications failures) {
        this.audit = audit;
        this.router = router;
        this.failures = failures;
    }

    @Override
    public MutableHttpResponse<?> handle(HttpRequest request, AuthorizationException e) {
        Caller caller = Caller.of(request);
        String what = request.getMethodName() + " " + request.getPath();
        if (e.isForbidden() && RouteAttributes.getRouteMatch(request).isEmpty()) {
            return unrouted(request);
        }
        if (e.isForbidden()) {
            audit.submit(new AuditLog.Entry(caller.name(), caller.role(), "auth.forbidden", what, null, caller.remote()));
            return mutable(JsonView.error(HttpStatus.FORBIDDEN, "forbidden", null,
                    "the role '" + caller.role() + "' may not " + what));
        }
        boolean sent = request.getHeaders().get(HttpHeaders.AUTHORIZATION) != null;
        FailedAuthentications.Verdict verdict = failures.failed(caller.remote(), what, sent ? "invalid or revoked token" : "no bearer token");
        if (verdict.throttled()) {
            return mutable(JsonView.error(HttpStatus.TOO_MANY_REQUESTS, "too_many_failed_authentications", null,
                    "too many requests without a valid token from this address; retry after " + verdict.retryAfterSeconds() + " s"))
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(verdict.retryAfterSeconds()));
        }
        return mutable(JsonView.error(HttpStatus.UNAUTHORIZED, "unauthorized", null,
                sent ? "the bearer token is not valid" : "this API needs 'Authorization: Bearer <token>'"))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"waymark\"");
    }

    /**
     * An authenticated request that no route takes is refused by security before routing, as
     * forbidden; it is not a question of role. A caller without a token still gets 401 first.
     */
    private MutableHttpResponse<?> unrouted(HttpRequest<?> request) {
        String path = request.getPath();
        if (router.find(request.getMethod(), path, null).findAny().isPresent()) {
            return mutable(JsonView.error(HttpStatus.NOT_ACCEPTABLE, "not_acceptable", "Accept",
                    "the route " + request.getMethodName() + " " + path + " answers application/json, not " + request.getHeaders().get(HttpHeaders.ACCEPT)));
        }
        List<String> allowed = METHODS.stream().filter(m -> router.find(m, path, null).findAny().isPresent()).map(HttpMethod::name).toList();
        if (!allowed.isEmpty()) {
            return mutable(JsonView.error(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", null,
                    path + " does not take " + request.getMethodName() + "; it takes " + String.join(", ", allowed)))
                    .header(HttpHeaders.ALLOW, String.join(", ", allowed));
        }
        return mutable(JsonView.error(HttpStatus.NOT_FOUND, "not_found", null, "no route " + request.getMethodName() + " " + path));
    }

    private static MutableHttpResponse<?> mutable(io.micronaut.http.HttpResponse<?> response) {
        return (MutableHttpResponse<?>) response;
    }
}
