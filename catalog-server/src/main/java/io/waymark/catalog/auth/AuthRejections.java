package io.waymark.catalog.auth;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.audit.AuditLog;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * 401 (no valid token) and 403 (a token whose role may not do this) as the API's JSON errors,
 * each recorded in the audit log. The token itself is never recorded, only whether one was sent.
 */
@Singleton
@Replaces(DefaultAuthorizationExceptionHandler.class)
public class AuthRejections implements ExceptionHandler<AuthorizationException, MutableHttpResponse<?>> {
    private final AuditLog audit;

    public AuthRejections(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public MutableHttpResponse<?> handle(HttpRequest request, AuthorizationException e) {
        Caller caller = Caller.of(request);
        String what = request.getMethodName() + " " + request.getPath();
        if (e.isForbidden()) {
            audit.submit(new AuditLog.Entry(caller.name(), caller.role(), "auth.forbidden", what, null, caller.remote()));
            return mutable(JsonView.error(HttpStatus.FORBIDDEN, "forbidden", null,
                    "the role '" + caller.role() + "' may not " + what));
        }
        boolean sent = request.getHeaders().get(HttpHeaders.AUTHORIZATION) != null;
        audit.submit(new AuditLog.Entry("anonymous", null, "auth.failed", what,
                Map.of("reason", sent ? "invalid or revoked token" : "no bearer token"), caller.remote()));
        return mutable(JsonView.error(HttpStatus.UNAUTHORIZED, "unauthorized", null,
                sent ? "the bearer token is not valid" : "this API needs 'Authorization: Bearer <token>'"))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"waymark\"");
    }

    private static MutableHttpResponse<?> mutable(io.micronaut.http.HttpResponse<?> response) {
        return (MutableHttpResponse<?>) response;
    }
}
