package io.waymark.policy.ranger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.ranger.plugin.model.RangerPolicy;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Ranger Admin's public REST API v2 for policies (basic auth): a policy is looked up by service
 * and name, updated in place when it exists ({@code PUT /service/public/v2/api/policy/{id}}) and
 * created otherwise ({@code POST /service/public/v2/api/policy}), so applying twice changes nothing.
 */
public final class RangerPolicyClient {
    static final String API = "/service/public/v2/api";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public RangerPolicyClient(String url, String user, String password) {
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Creates or updates the policy; returns "created" or "updated". */
    public String upsert(RangerPolicy policy) throws IOException, InterruptedException {
        String path = API + "/service/" + encode(policy.getService()) + "/policy/" + encode(policy.getName());
        HttpResponse<String> existing = send(HttpRequest.newBuilder(URI.create(base + path)).GET());
        ObjectNode body = JSON.valueToTree(policy);
        if (existing.statusCode() == 200) {
            JsonNode id = JSON.readTree(existing.body()).path("id");
            body.set("id", id);
            check(send(HttpRequest.newBuilder(URI.create(base + API + "/policy/" + id.asLong()))
                    .PUT(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))), "update", policy);
            return "updated";
        }
        if (existing.statusCode() != 404) {
            check(existing, "look up", policy);
        }
        check(send(HttpRequest.newBuilder(URI.create(base + API + "/policy"))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))), "create", policy);
        return "created";
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(60)).header("Authorization", authorization)
                .header("Content-Type", "application/json").header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void check(HttpResponse<String> response, String what, RangerPolicy policy) throws IOException {
        if (response.statusCode() / 100 != 2) {
            String body = response.body();
            throw new IOException("Ranger refused to " + what + " policy '" + policy.getName() + "': HTTP " + response.statusCode() + " "
                    + (body.length() > 500 ? body.substring(0, 500) + "…" : body));
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
