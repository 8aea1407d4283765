package io.waymark.policy.ranger;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Ranger Admin's tag REST API, the one call Waymark needs: {@code PUT /service/tags/importservicetags}
 * with a ServiceTags document, as Ranger's own tagsync does (basic auth; Ranger requires a
 * user with the admin role and answers 204). No Ranger client library: its Hadoop and Jersey 1
 * dependencies clash with the rest of the server (stack notes C4–C8) for one HTTP call.
 */
public final class RangerTagClient {
    public static final String IMPORT_PATH = "/service/tags/importservicetags";

    private final URI endpoint;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public RangerTagClient(String url, String user, String password) {
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.endpoint = URI.create(base + IMPORT_PATH);
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Imports the document; fails with Ranger's status and answer when Ranger refuses it. */
    public int importServiceTags(JsonNode serviceTags) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization).header("Content-Type", "application/json").header("Accept", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(serviceTags.toString(), StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            String body = response.body();
            throw new IOException("Ranger refused the tags: HTTP " + response.statusCode() + " "
                    + (body.length() > 500 ? body.substring(0, 500) + "…" : body));
        }
        return response.statusCode();
    }
}
