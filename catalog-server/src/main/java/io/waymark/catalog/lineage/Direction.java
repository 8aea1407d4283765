package io.waymark.catalog.lineage;

/** Which way a lineage traversal walks from its start node. */
public enum Direction {
    UPSTREAM, DOWNSTREAM, BOTH;

    public static Direction parse(String value) {
        if (value == null || value.isBlank()) {
            return BOTH;
        }
        return Direction.valueOf(value.trim().toUpperCase());
    }

    boolean up() {
        return this != DOWNSTREAM;
    }

    boolean down() {
        return this != UPSTREAM;
    }
}
