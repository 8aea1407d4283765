package io.waymark.catalog.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.waymark.catalog.journal.InsufficientStorageException;
import jakarta.inject.Singleton;

/** A write refused for lack of disk space: 507 with Retry-After, whichever route it came through. */
@Singleton
public class StorageRefusals implements ExceptionHandler<InsufficientStorageException, HttpResponse<?>> {
    /** How long a client should wait before trying again: space is freed by people, not in milliseconds. */
    public static final String RETRY_AFTER = "60";

    @Override
    public HttpResponse<?> handle(HttpRequest request, InsufficientStorageException e) {
        return refusal(e.getMessage());
    }

    public static HttpResponse<?> refusal(String detail) {
        return ((io.micronaut.http.MutableHttpResponse<?>) JsonView.error(HttpStatus.INSUFFICIENT_STORAGE, "insufficient_storage", null, detail))
                .header("Retry-After", RETRY_AFTER);
    }
}
