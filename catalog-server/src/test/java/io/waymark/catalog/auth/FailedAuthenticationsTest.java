package io.waymark.catalog.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.waymark.catalog.TestServer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Anyone who reaches the port can fail to authenticate, and that must not grow the journal or
 * tie up the server: a flood of token-less requests with long paths from one address is answered
 * 429 with Retry-After past a burst, and leaves two audit entries (the first failure, then the
 * count), with paths cut short and the chain intact.
 */
class FailedAuthenticationsTest {
    private static final String ADDRESS = "127.0.0.3";
    private final TestServer server = TestServer.get();

    @Test
    void aFloodOfRefusedRequestsIsThrottledAndAuditedAsOneCount() {
        String longPath = "/api/v1/namespaces/" + "x".repeat(3000);
        int unauthorized = 0;
        int throttled = 0;
        String retryAfter = null;
        for (int i = 0; i < 300; i++) {
            String response = server.raw(ADDRESS, "GET " + longPath + i + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            if (response.startsWith("HTTP/1.1 401 ")) {
                unauthorized++;
            } else if (response.startsWith("HTTP/1.1 429 ")) {
                throttled++;
                for (String line : response.split("\r\n")) {
                    if (line.toLowerCase().startsWith("retry-after:")) {
                        retryAfter = line.substring(12).strip();
                    }
                }
                assertTrue(response.contains("too_many_failed_authentications"), response);
            } else {
                throw new AssertionError(response.substring(0, Math.min(200, response.length())));
            }
        }
        assertTrue(unauthorized >= 100 && unauthorized < 200, "a burst of 100, then 5 a second: " + unauthorized);
        assertTrue(throttled > 100, "throttled: " + throttled);
        assertTrue(retryAfter != null && Long.parseLong(retryAfter) >= 1, "Retry-After: " + retryAfter);

        server.context.getBean(FailedAuthentications.class).flushAll();
        List<JsonNode> first = fromAddress("auth.failed");
        assertEquals(1, first.size(), "one entry for the first failure: " + first);
        assertTrue(first.get(0).path("target").asText().length() < 600, "the path is cut short");
        List<JsonNode> repeated = fromAddress("auth.failed.repeated");
        assertEquals(1, repeated.size(), repeated.toString());
        assertEquals(299, repeated.get(0).path("detail").path("count").asLong());
        assertEquals(throttled, repeated.get(0).path("detail").path("throttled").asLong());
        assertTrue(server.getJson("/api/v1/audit-log/verification").path("valid").asBoolean(), "the chain holds");
    }

    /**
     * A token not yet in memory is looked up in the journal off the event loops (ApiTokens asserts
     * it; tests run with assertions on): the event loops also carry every other request's routing
     * and {@code /health}, and a flood of unknown tokens must not make them wait on the database.
     * A valid token from an address that is being throttled still gets in on its first use.
     */
    @Test
    void unknownTokensAreLookedUpOffTheEventLoopAndAValidOneGetsInWhileItsAddressIsThrottled() {
        String address = "127.0.0.4";
        boolean throttled = false;
        for (int i = 0; i < 150 && !throttled; i++) {
            String response = server.raw(address, "GET /api/v1/namespaces HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer wm_unknown" + i
                    + "\r\nConnection: close\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 401 ") || response.startsWith("HTTP/1.1 429 "), response.substring(0, Math.min(300, response.length())));
            throttled = response.startsWith("HTTP/1.1 429 ");
        }
        assertTrue(throttled, "past the burst the address is throttled");
        String fresh = server.token("first-use-from-a-throttled-address", Roles.VIEWER);
        String response = server.raw(address, "GET /api/v1/namespaces HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + fresh
                + "\r\nConnection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200 "), response.substring(0, Math.min(300, response.length())));
    }

    private List<JsonNode> fromAddress(String action) {
        List<JsonNode> found = new ArrayList<>();
        server.getJson("/api/v1/audit-log?limit=1000&action=" + action).path("entries").forEach(e -> {
            if (ADDRESS.equals(e.path("remote").asText()) && e.path("action").asText().equals(action)) {
                found.add(e);
            }
        });
        return found;
    }
}
