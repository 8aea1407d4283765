package io.waymark.catalog.cli;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the commands that talk to a running Waymark share: {@code --name value} options, the server URL and the bearer token. */
final class ServerClient {
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<String, String> options;
    private final List<String> positional;

    private ServerClient(Map<String, String> options, List<String> positional) {
        this.options = options;
        this.positional = positional;
    }

    /** {@code --name value} pairs, {@code --flag} alone as "true"; the first positional argument also under "". */
    static ServerClient parse(List<String> args, List<String> flags) {
        Map<String, String> o = new HashMap<>();
        List<String> positional = new java.util.ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (flags.contains(a)) {
                o.put(a.substring(2), "true");
            } else if (a.startsWith("--") && i + 1 < args.size()) {
                o.put(a.substring(2), args.get(++i));
            } else {
                o.putIfAbsent("", a);
                positional.add(a);
            }
        }
        return new ServerClient(o, List.copyOf(positional));
    }

    /** Every argument that is not an option, in order. */
    List<String> positional() {
        return positional;
    }

    String get(String option) {
        return options.get(option);
    }

    String get(String option, String otherwise) {
        return options.getOrDefault(option, otherwise);
    }

    boolean has(String option) {
        return options.containsKey(option);
    }

    /** The token from --token or WAYMARK_TOKEN, if any. */
    String token() {
        return options.getOrDefault("token", System.getenv("WAYMARK_TOKEN"));
    }

    String base() {
        String url = options.get("server");
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofMinutes(10));
        String token = token();
        return token == null || token.isBlank() ? b : b.header("Authorization", "Bearer " + token.strip());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
