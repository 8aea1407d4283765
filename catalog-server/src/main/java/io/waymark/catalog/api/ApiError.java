package io.waymark.catalog.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The one error shape of the API: Waymark's {@code error} (a slug), {@code field} (null when the
 * error is not about one field) and {@code detail}, with Marquez's {@code code} (the HTTP status)
 * and {@code message} beside them, so Marquez's clients read Waymark's errors as their own.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ApiError(String error, String field, String detail, int code, String message) {
    public ApiError {
        field = field == null || field.isEmpty() ? null : field;
    }

    public static ApiError of(int status, String error, String field, String detail) {
        return new ApiError(error, field, detail, status, detail);
    }
}
