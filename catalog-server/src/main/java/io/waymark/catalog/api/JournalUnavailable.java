package io.waymark.catalog.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.jdbi.v3.core.ConnectionException;

/**
 * The journal's database could not be reached (a PostgreSQL restart, a pool with no connection
 * to give within its timeout): 503 with Retry-After from any route, token checks included, as a
 * condition that passes, not a 500. Nothing was written: a request's writes are one transaction.
 */
@Singleton
public class JournalUnavailable implements ExceptionHandler<ConnectionException, HttpResponse<?>> {
    @Override
    public HttpResponse<?> handle(HttpRequest request, ConnectionException e) {
        return ((MutableHttpResponse<?>) JsonView.error(HttpStatus.SERVICE_UNAVAILABLE, "journal_unavailable", null,
                "the journal database cannot be reached; nothing was changed, try again shortly"))
                .header("Retry-After", "5");
    }
}
