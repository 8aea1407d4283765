package io.waymark.catalog.auth;

import java.util.List;
import java.util.Map;

/**
 * The roles a token carries. Routes name the least role they need ({@code @Secured(Roles.VIEWER)});
 * a token's role expands to the roles it implies, so admin passes everywhere, a steward or an
 * auditor also reads, and a producer may only post lineage.
 */
public final class Roles {
    public static final String ADMIN = "admin";
    public static final String STEWARD = "steward";
    public static final String AUDITOR = "auditor";
    public static final String VIEWER = "viewer";
    public static final String PRODUCER = "producer";

    private static final Map<String, List<String>> IMPLIED = Map.of(
            ADMIN, List.of(ADMIN, STEWARD, AUDITOR, VIEWER, PRODUCER),
            STEWARD, List.of(STEWARD, VIEWER),
            AUDITOR, List.of(AUDITOR, VIEWER),
            VIEWER, List.of(VIEWER),
            PRODUCER, List.of(PRODUCER));

    public static final List<String> ALL = List.of(ADMIN, STEWARD, AUDITOR, VIEWER, PRODUCER);

    private Roles() {}

    /** The roles a token of this role holds; empty for an unknown role. */
    public static List<String> implied(String role) {
        return IMPLIED.getOrDefault(role, List.of());
    }
}
