package io.waymark.catalog.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.waymark.catalog.config.InstanceKey;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.ingest.InvalidEventException;
import io.waymark.catalog.model.Times;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;

import static io.waymark.catalog.api.JsonView.F;

/** Reads and checks a {@code POST /api/v1/connections} body into the row stored (the password encrypted). */
final class ConnectionRequest {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern CREDENTIAL_IN_URL = Pattern.compile("(?i)[?&;](password|pwd|user|username)=");
    private static final int MAX_SAMPLE = 1000;
    private static final int DEFAULT_SAMPLE = 100;
    private static final Duration MIN_SCHEDULE = Duration.ofMinutes(1);

    private ConnectionRequest() {}

    static ConnectionRow row(JsonNode body, String actor, InstanceKey key) throws InvalidEventException {
        String name = text(body, "name", true);
        if (!NAME.matcher(name).matches()) {
            throw InvalidEventException.invalid("name", "name is 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
        String url = text(body, "jdbcUrl", true);
        if (CREDENTIAL_IN_URL.matcher(url).find()) {
            throw InvalidEventException.invalid("jdbcUrl", "credentials do not belong in jdbcUrl: use user and password or passwordEnv");
        }
        try {
            DatasetNaming.of(url);
        } catch (IllegalArgumentException e) {
            throw InvalidEventException.invalid("jdbcUrl", e.getMessage());
        }
        String password = text(body, "password", false);
        String passwordEnv = text(body, "passwordEnv", false);
        if (password != null && passwordEnv != null) {
            throw InvalidEventException.invalid("password", "give password or passwordEnv, not both");
        }
        if (passwordEnv != null && !passwordEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw InvalidEventException.invalid("passwordEnv", "passwordEnv is the name of an environment variable");
        }
        int sample = body.has("sampleSize") ? body.path("sampleSize").asInt(-1) : DEFAULT_SAMPLE;
        if (!body.path("sampleSize").isMissingNode() && !body.path("sampleSize").isInt() || sample < 0 || sample > MAX_SAMPLE) {
            throw InvalidEventException.invalid("sampleSize", "sampleSize is a whole number from 0 (no sampling) to " + MAX_SAMPLE);
        }
        String schedule = text(body, "schedule", false);
        if (schedule != null) {
            try {
                if (Duration.parse(schedule).compareTo(MIN_SCHEDULE) < 0) {
                    throw InvalidEventException.invalid("schedule", "schedule is at least PT1M");
                }
            } catch (DateTimeParseException e) {
                throw InvalidEventException.invalid("schedule", "schedule is an ISO-8601 duration such as PT6H");
            }
        }
        String now = Times.format(Instant.now());
        return new ConnectionRow(name, url, text(body, "user", false), password == null ? null : key.encrypt(password), passwordEnv,
                patterns(body, "include", List.of("*")), patterns(body, "exclude", List.of()), sample, schedule, now, actor, now);
    }

    private static String text(JsonNode body, String field, boolean required) throws InvalidEventException {
        JsonNode v = body.path(field);
        if (v.isMissingNode() || v.isNull()) {
            if (required) {
                throw InvalidEventException.invalid(field, field + " is required");
            }
            return null;
        }
        if (!v.isTextual() || v.textValue().isBlank() || v.textValue().length() > 2048) {
            throw InvalidEventException.invalid(field, field + " is a non-empty string of at most 2048 characters");
        }
        return v.textValue();
    }

    private static String patterns(JsonNode body, String field, List<String> fallback) throws InvalidEventException {
        JsonNode v = body.path(field);
        if (v.isMissingNode() || v.isNull()) {
            ArrayNode array = F.arrayNode();
            fallback.forEach(array::add);
            return JsonView.write(array);
        }
        if (!v.isArray() || v.size() > 100) {
            throw InvalidEventException.invalid(field, field + " is an array of at most 100 patterns over schema.table ('*' and '?' wildcards)");
        }
        for (JsonNode p : v) {
            if (!p.isTextual() || p.textValue().isBlank()) {
                throw InvalidEventException.invalid(field, field + " holds non-empty strings");
            }
        }
        return JsonView.write(v);
    }

}
