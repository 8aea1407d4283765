package io.waymark.catalog.ui;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiLookalikesTest {
    @Test
    void pathsThatBecomeApiPathsOnlyWhenReadLenientlyAreLookalikes() {
        for (String path : new String[] {"//api/v1/tokens", "/API/v1/tokens", "/x/../api/v1/tokens", "/api%2Fv1%2Ftokens", "/%2e/api",
                "/\\api/v1", "/Metrics", "//health"}) {
            assertTrue(ApiLookalikes.isLookalike(path), path);
        }
        assertEquals("/api/v1/tokens", ApiLookalikes.normalise("/x/..//API%2fv1/./tokens"));
    }

    @Test
    void realApiPathsAndAppRoutesAreNot() {
        for (String path : new String[] {"/api/v1/namespaces/s3%3A%2F%2Fb/datasets/a%2Fb", "/api/v1/lineage", "/health", "/metrics",
                "/datasets/s3%3A%2F%2Fb/a%2Fb.c", "/lineage", "/", "/apis", "/x/api"}) {
            assertFalse(ApiLookalikes.isLookalike(path), path);
        }
    }
}
