package io.waymark.catalog;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The web UI is served at / without a token, with its routes, cache rules and a strict CSP; the API stays closed. */
class WebUiTest {
    private final TestServer server = TestServer.get();

    private HttpResponse<String> get(String path, String accept) {
        return server.sendAsIs(HttpRequest.newBuilder(URI.create(server.url(path))).header("Accept", accept).GET().build());
    }

    @Test
    void theAppIsServedAtTheRootAndAtItsOwnRoutes() {
        HttpResponse<String> index = get("/", "text/html");
        assertEquals(200, index.statusCode());
        assertTrue(index.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(index.body().contains("<div id=\"root\">"), index.body());
        String csp = index.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe"), csp);
        assertEquals("no-cache", index.headers().firstValue("Cache-Control").orElse(""));
        // A reload on a deep link, dataset names with dots and encoded slashes included.
        for (String route : new String[] {"/lineage?node=x", "/datasets/s3%3A%2F%2Fb/a%2Fb.c", "/compliance"}) {
            HttpResponse<String> page = get(route, "text/html,application/xhtml+xml");
            assertEquals(200, page.statusCode(), route);
            assertEquals(index.body(), page.body(), route);
        }
    }

    @Test
    void hashedAssetsAreCachedForeverAndMissingFilesAre404() {
        Matcher script = Pattern.compile("src=\"(/assets/[^\"]+\\.js)\"").matcher(get("/", "text/html").body());
        assertTrue(script.find(), "index.html names its script");
        HttpResponse<String> js = get(script.group(1), "*/*");
        assertEquals(200, js.statusCode());
        assertTrue(js.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertTrue(js.headers().firstValue("Cache-Control").orElse("").contains("immutable"));
        assertEquals(404, get("/assets/no-such-file.js", "*/*").statusCode());
    }

    @Test
    void theApiStaysClosedAndAnswersJson() {
        HttpResponse<String> api = get("/api/v1/namespaces", "text/html");
        assertEquals(401, api.statusCode());
        assertTrue(api.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), api.body());
        assertEquals(401, get("/api/v1/no-such-route", "text/html").statusCode());
    }

    /** Paths that mean an API path after decoding, case folding or dot segments are refused in JSON, never answered with the app. */
    @Test
    void apiLookalikePathsAnswerLikeTheApi() throws Exception {
        for (String path : new String[] {"//api/v1/tokens", "/API/v1/tokens", "/x/../api/v1/tokens", "/api%2Fv1%2Ftokens",
                "/%61pi/v1/tokens", "/./api/v1/tokens", "/Health", "//metrics", "/api%2fv1/namespaces"}) {
            String response = server.raw("127.0.0.1", "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\nConnection: close\r\n\r\n");
            String status = response.substring(0, response.indexOf('\r'));
            assertTrue(status.contains(" 400 ") || status.contains(" 404 "), path + ": " + status);
            assertTrue(response.toLowerCase().contains("content-type: application/json"), path + ": " + response);
            assertTrue(!response.contains("<div id=\"root\">"), path + " must not answer the app");
        }
    }

}
