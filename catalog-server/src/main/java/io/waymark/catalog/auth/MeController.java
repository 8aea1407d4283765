package io.waymark.catalog.auth;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.waymark.catalog.api.JsonView;

import static io.waymark.catalog.api.JsonView.F;

/**
 * {@code GET /api/v1/me}: who the presented token belongs to and what its role allows, so a client
 * (the web UI's sign-in) can check a token and hide what the role may not use.
 */
@Controller("/api/v1/me")
@Secured({Roles.VIEWER, Roles.PRODUCER})
public class MeController {
    @Get
    public HttpResponse<?> me(HttpRequest<?> request) {
        Caller caller = Caller.of(request);
        var body = F.objectNode().put("name", caller.name()).put("role", caller.role());
        var roles = body.putArray("roles");
        Roles.implied(caller.role()).forEach(roles::add);
        return JsonView.ok(body);
    }
}
