package io.waymark.catalog.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

/** The one error shape of the API; {@code field} is null when the error is not about one field. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ApiError(String error, String field, String detail) {
    public ApiError {
        field = field == null || field.isEmpty() ? null : field;
    }
}
