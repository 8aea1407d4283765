package io.waymark.catalog.ui;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Paths that a proxy, a scanner or a lenient server would read as an API path ({@code //api/…},
 * {@code /API/…}, {@code /x/../api/…}, {@code /api%2Fv1…}) but that no route serves. They are
 * refused as API paths rather than answered with the web UI's page, which would look like success.
 */
final class ApiLookalikes {
    private ApiLookalikes() {}

    /**
     * Whether the raw path means an API, health or metrics path without starting like one. A path
     * that does start like one is the router's, encoded segments (namespaces such as
     * {@code s3%3A%2F%2Fbucket}) and all.
     */
    static boolean isLookalike(String rawPath) {
        return !isApi(rawPath) && isApi(normalise(rawPath));
    }

    private static boolean isApi(String path) {
        return path.equals("/api") || path.startsWith("/api/") || path.equals("/health") || path.startsWith("/health/")
                || path.equals("/metrics") || path.startsWith("/metrics/");
    }

    /** Percent-decoded, lower-cased, backslashes as slashes, empty and dot segments resolved. */
    static String normalise(String rawPath) {
        String decoded = decode(rawPath).replace('\\', '/').toLowerCase(Locale.ROOT);
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : decoded.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(segment);
            }
        }
        return "/" + String.join("/", segments);
    }

    private static String decode(String path) {
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            int hi;
            int lo;
            if (c == '%' && i + 2 < path.length() && (hi = Character.digit(path.charAt(i + 1), 16)) >= 0
                    && (lo = Character.digit(path.charAt(i + 2), 16)) >= 0) {
                out.append((char) (hi * 16 + lo));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
