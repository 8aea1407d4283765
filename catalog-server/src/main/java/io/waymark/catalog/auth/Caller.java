package io.waymark.catalog.auth;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;

import java.net.InetSocketAddress;

/** Who made a request: the token's name and role, and the address it came from (for the audit log). */
public record Caller(String name, String role, String remote) {
    public static Caller of(HttpRequest<?> request) {
        Authentication auth = request.getUserPrincipal(Authentication.class).orElse(null);
        String name = auth == null ? "anonymous" : auth.getName();
        String role = auth == null ? null : (String) auth.getAttributes().get(BearerTokenValidator.ROLE);
        return new Caller(name, role, remote(request));
    }

    /** The peer address; a proxy's X-Forwarded-For is not trusted, since any client can send it. */
    public static String remote(HttpRequest<?> request) {
        InetSocketAddress address = request.getRemoteAddress();
        return address == null || address.getAddress() == null ? null : address.getAddress().getHostAddress();
    }
}
