package io.waymark.catalog.ui;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.waymark.catalog.api.JsonView;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the web UI (web-ui's build, packaged under {@code waymark-ui/} on the classpath) at
 * {@code /}, before security runs: the page and its scripts are public, the data behind them is
 * not (every API call carries the user's token). A path that is not a file of the build and
 * asks for HTML gets {@code index.html}, so the app's own routes survive a reload. API, health
 * and metrics paths are never touched.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class WebUiFilter implements Ordered {
    static final String ROOT = "waymark-ui/";
    /**
     * Scripts and styles only from the app itself, no inline script, no framing: a catalog shows
     * names that producers chose, and this keeps one that smuggles markup from running anything.
     */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml", "png", "image/png", "ico", "image/x-icon", "json", "application/json",
            "woff2", "font/woff2", "map", "application/json", "txt", "text/plain; charset=utf-8");

    /** The build's files as read, hits only: a miss is not kept, so odd paths cannot grow it. */
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.before();
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> serve(HttpRequest<?> request) {
        String path = request.getPath();
        // Both spellings: the URI reads "//api/…" as an authority, the path keeps it.
        String rawPath = request.getUri().getRawPath();
        if (ApiLookalikes.isLookalike(path) || rawPath != null && ApiLookalikes.isLookalike(rawPath)) {
            return JsonView.error(HttpStatus.BAD_REQUEST, "non_canonical_path", "",
                    "the path is an API path only after decoding, case folding or dot segments; ask for " + ApiLookalikes.normalise(rawPath));
        }
        if (request.getMethod() != HttpMethod.GET && request.getMethod() != HttpMethod.HEAD) {
            return null;
        }
        if (path.startsWith("/api/") || path.equals("/api") || path.equals("/health") || path.equals("/metrics")) {
            return null;
        }
        String file = path.equals("/") ? "index.html" : path.substring(1);
        boolean named = file.substring(file.lastIndexOf('/') + 1).contains(".");
        Optional<byte[]> body = named && safe(file) ? read(file) : Optional.empty();
        if (body.isPresent()) {
            return respond(file, body.get());
        }
        if (file.startsWith("assets/")) {
            // An old build's asset (a page open across an upgrade): gone, and saying so needs no token.
            return HttpResponse.notFound();
        }
        // Anything else a browser navigates to is one of the app's own routes (dataset names
        // hold dots, slashes and worse): the app decides. Other misses fall through to a 404.
        boolean page = !named || request.getHeaders().accept().stream().anyMatch(t -> t.getName().equals("text/html"));
        Optional<byte[]> index = read("index.html");
        return page && index.isPresent() ? respond("index.html", index.get()) : null;
    }

    private MutableHttpResponse<byte[]> respond(String file, byte[] body) {
        String extension = file.substring(file.lastIndexOf('.') + 1);
        MutableHttpResponse<byte[]> response = HttpResponse.ok(body)
                .header("Content-Type", TYPES.getOrDefault(extension, "application/octet-stream"))
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer");
        if (file.startsWith("assets/")) {
            // Vite names every asset after a hash of its content: a new build is a new name.
            response.header("Cache-Control", "public, max-age=31536000, immutable");
        } else {
            response.header("Cache-Control", "no-cache");
        }
        if (extension.equals("html")) {
            response.header("Content-Security-Policy", CSP).header("X-Frame-Options", "DENY");
        }
        return response;
    }

    /** Only plain relative names below the UI's root: no traversal, no backslashes, no empty segments. */
    static boolean safe(String file) {
        if (file.isEmpty() || file.contains("\\") || file.contains("//") || file.contains("%") || file.startsWith("/")) {
            return false;
        }
        for (String segment : file.split("/")) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private Optional<byte[]> read(String file) {
        byte[] cached = files.get(file);
        if (cached != null) {
            return Optional.of(cached);
        }
        try (InputStream in = WebUiFilter.class.getClassLoader().getResourceAsStream(ROOT + file)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] body = in.readAllBytes();
            files.put(file, body);
            return Optional.of(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
