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
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Map<String, Set<String>> ENUMS = Map.of(
            "environment", Set.of("prod", "staging", "dev", "test"),
            "erasureMethod", Set.of("delete_by_key", "overwrite_partition", "ttl", "crypto_shred"),
            "legalBasis", Set.of("consent", "contract", "legal_obligation", "vital_interests", "public_task", "legitimate_interests"),
            "transferMechanism", Set.of("adequacy", "scc", "bcr", "dpf", "derogation", "none"),
            "pciScope", Set.of("CDE", "CONNECTED", "OUT"),
            "deidMethod", Set.of("SAFE_HARBOR", "EXPERT_DETERMINATION", "LIMITED_DATA_SET"),
            "role", Set.of("tokenizer", "detokenizer", "encryptor", "anonymizer", "purge"));
    /** Free text: owners, places, and references to the documents that are the evidence (DPA, BAA, DUA …). */
    private static final Set<String> TEXT = Set.of("owner", "region", "country", "processor", "dpaRef", "baaRef",
            "ldsDuaRef", "recipientOrg", "retentionJustification");
    private static final Set<String> BOOLEANS = Set.of("encryptedAtRest", "systemOfRecord", "soxKeyReport", "soxInScope",
            "auditLogging", "transportTls", "dsarSource");
    private static final Set<String> DAYS = Set.of("retentionDays", "auditLogRetentionDays");
    /** Job annotation: classification codes (or "*") whose labels do not cross this job's column lineage. */
    public static final String PROPAGATION_BLOCKS = "propagationBlocks";
    /** Operations: how long a run may take, when runs are expected, how often a streaming job reports. */
    private static final Set<String> JOB_ONLY = Set.of("role", PROPAGATION_BLOCKS, "maxRunDuration", "schedule", "heartbeat");
    private static final Set<String> DATASET_ONLY = Set.of("freshnessSla");
    /** ISO-8601 durations, kept as their text (the monitor parses them). */
    private static final Set<String> DURATIONS = Set.of("maxRunDuration", "heartbeat", "freshnessSla");

    /**
     * custom.* keys become property keys ({@code ann.custom.<name>}), which Neo4j keeps for good:
     * their names are plain and short, and a node holds a bounded number of them.
     */
    private static final Pattern CUSTOM = Pattern.compile("custom\\.[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");
    public static final int MAX_CUSTOM_KEYS = 50;

    private AnnotationSchema() {}

    /** Refuses a patch that would leave a node with more than {@value #MAX_CUSTOM_KEYS} custom.* keys. */
    public static void checkCustomCount(JsonNode current, JsonNode patch) throws InvalidEventException {
        java.util.Set<String> keys = new java.util.HashSet<>();
        current.fieldNames().forEachRemaining(k -> {
            if (k.startsWith("custom.")) {
                keys.add(k);
            }
        });
        patch.fields().forEachRemaining(e -> {
            if (e.getKey().startsWith("custom.")) {
                if (e.getValue().isNull()) {
                    keys.remove(e.getKey());
                } else {
                    keys.add(e.getKey());
                }
            }
        });
        if (keys.size() > MAX_CUSTOM_KEYS) {
            throw InvalidEventException.invalid("", "a dataset or job holds at most " + MAX_CUSTOM_KEYS + " custom.* annotations; this patch would leave "
                    + keys.size() + " (remove some with null)");
        }
    }

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
        if (DATASET_ONLY.contains(key) && job) {
            throw InvalidEventException.invalid(key, key + " is an annotation of datasets, not of jobs");
        }
        if (DURATIONS.contains(key)) {
            String text = value.isTextual() ? value.textValue().strip() : "";
            if (io.waymark.catalog.monitor.Schedule.duration(text) == null) {
                throw InvalidEventException.invalid(key, key + " must be a positive ISO-8601 duration such as PT15M, PT2H or P1D, got '" + abbreviate(value) + "'");
            }
            return text;
        }
        if (key.equals("schedule")) {
            String text = value.isTextual() ? value.textValue().strip() : "";
            String problem = io.waymark.catalog.monitor.Schedule.scheduleProblem(text);
            if (problem != null) {
                throw InvalidEventException.invalid(key, problem);
            }
            return text;
        }
        if (key.equals("tier")) {
            if (!value.isIntegralNumber() || value.longValue() < 1 || value.longValue() > 4) {
                throw InvalidEventException.invalid(key, "tier must be 1, 2, 3 or 4 (1 is the most critical)");
            }
            return value.longValue();
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
        if (DAYS.contains(key)) {
            if (!value.canConvertToLong() || !value.isIntegralNumber() || value.longValue() < 1) {
                throw InvalidEventException.invalid(key, key + " must be a positive whole number of days");
            }
            return value.longValue();
        }
        switch (key) {
            case "riskAssessedAt" -> {
                // Kept as an ISO date string so that rules compare it with date(...) in Cypher.
                String text = value.isTextual() ? value.textValue() : "";
                try {
                    if (!DATE.matcher(text).matches()) {
                        throw new java.time.format.DateTimeParseException("not yyyy-mm-dd", text, 0);
                    }
                    java.time.LocalDate.parse(text);
                } catch (java.time.format.DateTimeParseException e) {
                    throw InvalidEventException.invalid(key, "riskAssessedAt must be a date such as 2026-01-31, got '" + text + "'");
                }
                return text;
            }
            case PROPAGATION_BLOCKS -> {
                return strings(key, value, "propagationBlocks must be a non-empty array of classification codes or \"*\" (null removes every block)");
            }
            case "purposes" -> {
                return strings(key, value, "purposes must be a non-empty array of strings");
            }
            default -> {
                if (key.startsWith("custom.") && !CUSTOM.matcher(key).matches()) {
                    throw InvalidEventException.invalid(key, "a custom annotation key is custom. and 1 to 64 letters, digits, '_', '.' or '-'");
                }
                if (!key.startsWith("custom.") || !(value.isTextual() || value.isBoolean() || value.isNumber())) {
                    throw InvalidEventException.invalid(key, "unknown annotation '" + key + "'; known keys are " + known()
                            + ", and custom.* keys take a string, number or boolean");
                }
                return value.isTextual() ? value.textValue() : value.isBoolean() ? value.booleanValue() : value.numberValue().toString();
            }
        }
    }

    private static String abbreviate(JsonNode value) {
        String text = value.isTextual() ? value.textValue() : value.toString();
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    private static List<String> strings(String key, JsonNode value, String message) throws InvalidEventException {
        if (!value.isArray() || value.isEmpty()) {
            throw InvalidEventException.invalid(key, message);
        }
        List<String> strings = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || item.textValue().isBlank()) {
                throw InvalidEventException.invalid(key, message);
            }
            strings.add(item.textValue());
        }
        return strings;
    }

    static List<String> known() {
        List<String> keys = new ArrayList<>(ENUMS.keySet());
        keys.addAll(TEXT);
        keys.addAll(BOOLEANS);
        keys.addAll(DAYS);
        keys.add("riskAssessedAt");
        keys.add(PROPAGATION_BLOCKS);
        keys.add("purposes");
        keys.addAll(DURATIONS);
        keys.add("schedule");
        keys.add("tier");
        return keys.stream().sorted().toList();
    }

    /** One key as a client shows it: the value's type, the allowed values of an enum, whether only jobs take it. */
    public record Key(String key, String type, List<String> values, boolean jobOnly) {}

    /** Every known key, for forms (the web UI's annotation editor and its "supply a missing fact"). */
    public static List<Key> keys() {
        List<Key> keys = new ArrayList<>();
        for (String key : known()) {
            String type = ENUMS.containsKey(key) ? "enum" : TEXT.contains(key) ? "text" : BOOLEANS.contains(key) ? "boolean"
                    : DAYS.contains(key) ? "days" : key.equals("riskAssessedAt") ? "date" : key.equals(PROPAGATION_BLOCKS) ? "codes"
                    : DURATIONS.contains(key) ? "duration" : key.equals("schedule") ? "schedule" : key.equals("tier") ? "tier" : "list";
            List<String> values = ENUMS.containsKey(key) ? ENUMS.get(key).stream().sorted().toList() : List.of();
            keys.add(new Key(key, type, values, JOB_ONLY.contains(key)));
        }
        return keys;
    }
}
