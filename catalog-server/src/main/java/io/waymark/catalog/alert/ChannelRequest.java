package io.waymark.catalog.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.config.InstanceKey;
import io.waymark.catalog.ingest.InvalidEventException;
import io.waymark.catalog.model.Times;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static io.waymark.catalog.api.JsonView.F;

/**
 * Reads and checks a {@code POST /api/v1/alerts/channels} body into the stored row: what is secret
 * (a webhook's signing secret, a Slack webhook URL — it is the credential —, a PagerDuty routing
 * key, an SMTP password) goes only into the encrypted part; the rest is settings and route.
 */
final class ChannelRequest {
    static final Set<String> TYPES = Set.of("webhook", "slack", "pagerduty", "email");
    static final List<String> SEVERITIES = List.of("low", "medium", "high", "critical");
    static final String PAGERDUTY_URL = "https://events.pagerduty.com/v2/enqueue";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s]+@[^@\\s]+");

    private ChannelRequest() {}

    static ChannelRow row(JsonNode body, String actor, InstanceKey key) throws InvalidEventException {
        if (body == null || !body.isObject()) {
            throw InvalidEventException.invalid("", "a channel is a JSON object {name, type, …}");
        }
        String name = text(body, "name", true);
        if (!NAME.matcher(name).matches()) {
            throw InvalidEventException.invalid("name", "name is 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
        String type = text(body, "type", true);
        if (!TYPES.contains(type)) {
            throw InvalidEventException.invalid("type", "type is one of webhook, slack, email, pagerduty");
        }
        ObjectNode settings = F.objectNode();
        ObjectNode secrets = F.objectNode();
        switch (type) {
            case "webhook" -> {
                settings.put("url", url(body, "url", true));
                String secret = text(body, "secret", false);
                if (secret != null && secret.length() < 16) {
                    throw InvalidEventException.invalid("secret", "secret signs each body (HMAC-SHA256); use at least 16 characters");
                }
                secrets.put("secret", secret);
            }
            case "slack" -> secrets.put("url", url(body, "url", true));
            case "pagerduty" -> {
                String routingKey = text(body, "routingKey", true);
                if (routingKey.length() > 64) {
                    throw InvalidEventException.invalid("routingKey", "routingKey is the 32-character integration key of a PagerDuty service");
                }
                secrets.put("routingKey", routingKey);
                String url = url(body, "url", false);
                settings.put("url", url == null ? PAGERDUTY_URL : url);
            }
            default -> email(body.path("smtp"), settings, secrets);
        }
        ObjectNode route = route(body.path("route"));
        String secretJson = JsonView.write(secrets);
        return new ChannelRow(name, type, JsonView.write(settings), secrets.isEmpty() ? null : key.encrypt(secretJson), JsonView.write(route),
                Times.format(Instant.now()), actor);
    }

    private static void email(JsonNode smtp, ObjectNode settings, ObjectNode secrets) throws InvalidEventException {
        if (!smtp.isObject()) {
            throw InvalidEventException.invalid("smtp", "an email channel needs smtp: {host, port, starttls?, user?, password?, from, to: […]}");
        }
        settings.put("host", text(smtp, "host", true, "smtp.host"));
        JsonNode port = smtp.path("port");
        if (!port.isIntegralNumber() || port.intValue() < 1 || port.intValue() > 65535) {
            throw InvalidEventException.invalid("smtp.port", "smtp.port is a port number (587 for STARTTLS, 25, 465)");
        }
        settings.put("port", port.intValue());
        settings.put("starttls", !smtp.has("starttls") || smtp.path("starttls").asBoolean(true));
        settings.put("user", text(smtp, "user", false, "smtp.user"));
        String from = text(smtp, "from", true, "smtp.from");
        if (!ADDRESS.matcher(from).matches()) {
            throw InvalidEventException.invalid("smtp.from", "smtp.from is an e-mail address");
        }
        settings.put("from", from);
        ArrayNode to = settings.putArray("to");
        for (JsonNode t : smtp.path("to")) {
            if (!t.isTextual() || !ADDRESS.matcher(t.textValue()).matches()) {
                throw InvalidEventException.invalid("smtp.to", "smtp.to is a list of e-mail addresses");
            }
            to.add(t.textValue());
        }
        if (to.isEmpty()) {
            throw InvalidEventException.invalid("smtp.to", "smtp.to is a non-empty list of e-mail addresses");
        }
        secrets.put("password", text(smtp, "password", false, "smtp.password"));
    }

    /** {@code {namespaces?: [glob], owners?: [..], minSeverity?, kinds?: [..]}}; empty: every incident. */
    private static ObjectNode route(JsonNode route) throws InvalidEventException {
        ObjectNode out = F.objectNode();
        if (route.isMissingNode() || route.isNull()) {
            return out;
        }
        if (!route.isObject()) {
            throw InvalidEventException.invalid("route", "route is an object {namespaces?, owners?, minSeverity?, kinds?}");
        }
        for (String list : List.of("namespaces", "owners", "kinds")) {
            JsonNode items = route.path(list);
            if (items.isMissingNode()) {
                continue;
            }
            if (!items.isArray() || items.isEmpty()) {
                throw InvalidEventException.invalid("route." + list, "route." + list + " is a non-empty list of strings");
            }
            ArrayNode copy = out.putArray(list);
            for (JsonNode i : items) {
                if (!i.isTextual() || i.textValue().isBlank()) {
                    throw InvalidEventException.invalid("route." + list, "route." + list + " is a non-empty list of strings");
                }
                if (list.equals("kinds") && !io.waymark.catalog.monitor.Monitor.KINDS.contains(i.textValue())) {
                    throw InvalidEventException.invalid("route.kinds", "route.kinds are among " + io.waymark.catalog.monitor.Monitor.KINDS.stream().sorted().toList());
                }
                copy.add(i.textValue());
            }
        }
        if (route.has("minSeverity")) {
            String min = route.path("minSeverity").asText("");
            if (!SEVERITIES.contains(min)) {
                throw InvalidEventException.invalid("route.minSeverity", "route.minSeverity is one of " + SEVERITIES);
            }
            out.put("minSeverity", min);
        }
        return out;
    }

    private static String url(JsonNode body, String field, boolean required) throws InvalidEventException {
        String text = text(body, field, required);
        if (text == null) {
            return null;
        }
        try {
            URI uri = URI.create(text);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw InvalidEventException.invalid(field, field + " must be an http(s) URL");
        }
        return text;
    }

    private static String text(JsonNode body, String field, boolean required) throws InvalidEventException {
        return text(body, field, required, field);
    }

    private static String text(JsonNode body, String field, boolean required, String path) throws InvalidEventException {
        JsonNode v = body.path(field);
        if (v.isMissingNode() || v.isNull()) {
            if (required) {
                throw InvalidEventException.invalid(path, path + " is required");
            }
            return null;
        }
        if (!v.isTextual() || v.textValue().isBlank()) {
            throw InvalidEventException.invalid(path, path + " must be a non-empty string");
        }
        return v.textValue().strip();
    }
}
