package io.waymark.catalog.governance;

import com.fasterxml.jackson.databind.JsonNode;
import io.waymark.catalog.ingest.InvalidEventException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The facts OpenLineage does not carry, as annotation keys with their allowed values. Rules read
 * them as {@code ann.<key>} properties; a key that is not set is a missing fact (UNKNOWN), never a
 * default. Keys outside the list must start with {@code custom.}.
 */
public final class AnnotationSchema {
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Pattern REGION = Pattern.compile("[a-z]{2,}(-[a-z0-9]+)+");
    private static final Map<String, Set<String>> ENUMS = Map.of(
            "environment", Set.of("prod", "staging", "dev", "test"),
            "legalBasis", Set.of("consent", "contract", "legal_obligation", "vital_interests", "public_task", "legitimate_interests"),
            "transferMechanism", Set.of("adequacy", "scc", "bcr", "dpf", "derogation", "none"),
            "pciScope", Set.of("CDE", "CONNECTED", "OUT"),
            "deidMethod", Set.of("SAFE_HARBOR", "EXPERT_DETERMINATION", "LIMITED_DATA_SET"),
            "role", Set.of("tokenizer", "detokenizer", "encryptor", "anonymizer"));
    private static final Set<String> TEXT = Set.of("owner", "region", "country");
    private static final Set<String> BOOLEANS = Set.of("encryptedAtRest", "systemOfRecord", "soxKeyReport");
    private static final Set<String> JOB_ONLY = Set.of("role");

    private AnnotationSchema() {}

    /** Checks a JSON merge patch (RFC 7396) and returns it as property values; a null value removes the key. */
    public static Map<String, Object> check(JsonNode patch, boolean job) throws InvalidEventException {
        if (patch == null || !patch.isObject()) {
            throw InvalidEventException.invalid("", "annotations are a JSON merge patch: a JSON object of keys to set (null removes one)");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            values.put(key, value.isNull() ? null : value(key, value, job));
        }
        return values;
    }

    private static Object value(String key, JsonNode value, boolean job) throws InvalidEventException {
        if (JOB_ONLY.contains(key) && !job) {
            throw InvalidEventException.invalid(key, key + " is an annotation of jobs, not of datasets");
        }
        if (ENUMS.containsKey(key)) {
            String text = value.isTextual() ? value.textValue() : null;
            if (text == null || !ENUMS.get(key).contains(text)) {
                throw InvalidEventException.invalid(key, key + " must be one of " + ENUMS.get(key).stream().sorted().toList());
            }
            return text;
        }
        if (TEXT.contains(key)) {
            String text = value.isTextual() ? value.textValue().strip() : "";
            if (text.isEmpty()) {
                throw InvalidEventException.invalid(key, key + " must be a non-empty string");
            }
            if (key.equals("country") && !COUNTRIES.contains(text)) {
                throw InvalidEventException.invalid(key, "country must be an ISO 3166-1 alpha-2 code such as DE or US, got '" + text + "'");
            }
            if (key.equals("region") && !REGION.matcher(text).matches()) {
                throw InvalidEventException.invalid(key, "region must be a cloud region such as eu-west-1 or europe-west4, got '" + text + "'");
            }
            return text;
        }
        if (BOOLEANS.contains(key)) {
            if (!value.isBoolean()) {
                throw InvalidEventException.invalid(key, key + " must be true or false");
            }
            return value.booleanValue();
        }
        switch (key) {
            case "retentionDays" -> {
                if (!value.canConvertToLong() || !value.isIntegralNumber() || value.longValue() < 1) {
                    throw InvalidEventException.invalid(key, "retentionDays must be a positive whole number of days");
                }
                return value.longValue();
            }
            case "purposes" -> {
                if (!value.isArray() || value.isEmpty()) {
                    throw InvalidEventException.invalid(key, "purposes must be a non-empty array of strings");
                }
                List<String> purposes = new ArrayList<>();
                for (JsonNode p : value) {
                    if (!p.isTextual() || p.textValue().isBlank()) {
                        throw InvalidEventException.invalid(key, "purposes must be a non-empty array of strings");
                    }
                    purposes.add(p.textValue());
                }
                return purposes;
            }
            default -> {
                if (!key.startsWith("custom.") || !(value.isTextual() || value.isBoolean() || value.isNumber())) {
                    throw InvalidEventException.invalid(key, "unknown annotation '" + key + "'; known keys are " + known()
                            + ", and custom.* keys take a string, number or boolean");
                }
                return value.isTextual() ? value.textValue() : value.isBoolean() ? value.booleanValue() : value.numberValue().toString();
            }
        }
    }

    static List<String> known() {
        List<String> keys = new ArrayList<>(ENUMS.keySet());
        keys.addAll(TEXT);
        keys.addAll(BOOLEANS);
        keys.add("retentionDays");
        keys.add("purposes");
        return keys.stream().sorted().toList();
    }
}
