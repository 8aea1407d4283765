package io.waymark.catalog.api;

import io.micronaut.context.annotation.Primary;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.http.server.exceptions.response.HateoasErrorResponseProcessor;
import jakarta.inject.Singleton;

import java.util.stream.Collectors;

/**
 * The errors Micronaut answers itself (no such route, a method the route does not have, a
 * parameter it cannot convert, a body it cannot read) in the API's one error shape instead of
 * Micronaut's HATEOAS body.
 */
@Singleton
@Primary
@Replaces(HateoasErrorResponseProcessor.class)
public class ErrorBodies implements ErrorResponseProcessor<String> {

    @Override
    @SuppressWarnings("unchecked")
    public MutableHttpResponse<String> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        int status = response.code();
        String detail = context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
        if (detail.isEmpty()) {
            detail = response.reason();
        }
        String field = context.getErrors().stream().map(e -> e.getPath().orElse(null)).filter(p -> p != null).findFirst().orElse(null);
        String slug = switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 415 -> "unsupported_media_type";
            case 406 -> "not_acceptable";
            case 413 -> "too_large";
            case 503 -> "unavailable";
            case 507 -> "insufficient_storage";
            default -> status >= 500 ? "internal_error" : "invalid_request";
        };
        if (status >= 500 && status != 503 && status != 507) {
            // An unexpected exception's message is for the server log, not for the client.
            detail = "internal error; the server log has the details";
        }
        if (status == 404 && (detail == null || detail.equals("Page Not Found") || detail.equals(response.reason()))) {
            detail = "no route " + context.getRequest().getMethodName() + " " + context.getRequest().getPath();
        }
        String body = JsonView.write(JsonView.errorBody(status, slug, field, detail));
        return ((MutableHttpResponse<String>) response).body(body).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
