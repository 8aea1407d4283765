package io.waymark.catalog.api;

import io.micronaut.serde.annotation.Serdeable;

/** The one error shape of the API. */
@Serdeable
public record ApiError(String error, String field, String detail) {
}
