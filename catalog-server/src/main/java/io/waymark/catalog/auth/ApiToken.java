package io.waymark.catalog.auth;

/** A stored API token: never the token itself, only its hash. */
public record ApiToken(String id, String name, String role, String tokenHash, String createdAt, String createdBy, String revokedAt) {
}
