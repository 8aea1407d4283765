package io.waymark.catalog.ingest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.waymark.catalog.config.WaymarkConfig;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the OpenLineage envelope strictly and leaves facets alone: a facet never makes an event
 * fail, a bad envelope always does, naming the field.
 */
@Singleton
public class EventParser {
    /** Neo4j's index entries are limited to about 8 KB; keys are built from these parts. */
    public static final int MAX_NAMESPACE_BYTES = 1024;
    public static final int MAX_NAME_BYTES = 2048;

    private static final Set<String> EVENT_TYPES = Set.of("START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER");
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final int maxEventBytes;

    /**
     * The largest body parsed on the event loop that received it (about a millisecond warm); a larger
     * one, or a compressed one, is handed to an ingest thread: its parse held up every connection of
     * that loop, {@code /health} probes included.
     */
    public static final int EVENT_LOOP_BYTES = 64 * 1024;

    public EventParser(WaymarkConfig config) {
        this.maxEventBytes = config.getMaxEventBytes();
    }

    public int maxEventBytes() {
        return maxEventBytes;
    }

    /** Parses and checks one event given as raw bytes; the bytes are what the journal keeps. */
    public ParsedEvent parse(byte[] body) throws InvalidEventException {
        if (body == null || body.length == 0) {
            throw InvalidEventException.invalid("", "request body is empty; expected one OpenLineage event as JSON");
        }
        checkSize(body.length);
        JsonNode root = readTree(body);
        if (root.isArray()) {
            throw InvalidEventException.invalid("", "body is a JSON array; send one event here, or use POST /api/v1/lineage/batch for several");
        }
        return check(root, stripBom(new String(body, StandardCharsets.UTF_8)));
    }

    /** Checks an event that arrived inside a batch; it is stored in its compact JSON form. */
    public ParsedEvent parse(JsonNode event) throws InvalidEventException {
        String payload;
        try {
            payload = Json.STRICT.writeValueAsString(event);
        } catch (IOException e) {
            throw InvalidEventException.invalid("", "event cannot be serialized: " + e.getMessage());
        }
        checkSize(payload.getBytes(StandardCharsets.UTF_8).length);
        return check(event, payload);
    }

    public JsonNode readTree(byte[] body) throws InvalidEventException {
        assert body.length <= EVENT_LOOP_BYTES || !reactor.core.scheduler.Schedulers.isInNonBlockingThread()
                : "a body of " + body.length + " bytes parsed on an event loop";
        int invalid = Utf8.firstInvalid(body);
        if (invalid >= 0) {
            throw InvalidEventException.invalid("", "the body is not well-formed UTF-8 at byte " + invalid
                    + " (an overlong form, an encoded surrogate or a cut sequence)");
        }
        try {
            JsonNode root = Json.STRICT.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw InvalidEventException.invalid("", "request body holds no JSON value");
            }
            return root;
        } catch (JacksonException e) {
            throw InvalidEventException.invalid("", "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw InvalidEventException.invalid("", "unreadable body: " + e.getMessage());
        }
    }

    private void checkSize(int bytes) throws InvalidEventException {
        if (bytes > maxEventBytes) {
            throw new InvalidEventException(413, "event_too_large", "",
                    "event is " + bytes + " bytes; the limit is " + maxEventBytes + " (waymark.max-event-bytes)");
        }
    }

    private ParsedEvent check(JsonNode root, String payload) throws InvalidEventException {
        if (!root.isObject()) {
            throw InvalidEventException.invalid("", "event must be a JSON object, got " + root.getNodeType().name().toLowerCase());
        }
        Instant eventTime = eventTime(root);
        requireText(root, "producer", "producer", Integer.MAX_VALUE);
        optionalText(root, "schemaURL");
        JsonNode run = present(root, "run");
        JsonNode job = present(root, "job");
        String eventType = eventType(root);
        EventKind kind;
        String runId = null;
        if (run != null) {
            kind = EventKind.RUN;
            requireObject(run, "run");
            runId = requireText(run, "runId", "run.runId", 64);
            if (!UUID.matcher(runId).matches()) {
                throw InvalidEventException.invalid("run.runId", "runId must be a UUID, got '" + abbreviate(runId) + "'");
            }
            runId = runId.toLowerCase();
            optionalObject(run, "facets", "run.facets");
            if (job == null) {
                throw InvalidEventException.invalid("job", "a RunEvent needs job.namespace and job.name");
            }
        } else if (job != null) {
            if (eventType != null) {
                // Never invent a run: an event with eventType is a RunEvent, and this one has no run.
                throw InvalidEventException.invalid("run", "eventType " + eventType + " makes this a RunEvent, but run (with runId) is missing");
            }
            kind = EventKind.JOB;
        } else if (present(root, "dataset") != null) {
            kind = EventKind.DATASET;
            checkDataset(root.get("dataset"), "dataset");
        } else {
            throw InvalidEventException.invalid("job", "missing job: a RunEvent or JobEvent needs job, a DatasetEvent needs dataset");
        }
        String jobNamespace = null;
        String jobName = null;
        if (job != null) {
            requireObject(job, "job");
            jobNamespace = requireText(job, "namespace", "job.namespace", MAX_NAMESPACE_BYTES);
            jobName = requireText(job, "name", "job.name", MAX_NAME_BYTES);
            optionalObject(job, "facets", "job.facets");
            checkDatasets(root, "inputs");
            checkDatasets(root, "outputs");
        }
        return new ParsedEvent(kind, eventTime, eventType, runId, jobNamespace, jobName, hash(root), payload);
    }

    private static Instant eventTime(JsonNode root) throws InvalidEventException {
        String text = requireText(root, "eventTime", "eventTime", 64);
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            try {
                // The OpenLineage python client's own fixtures send local date-times; they are read as UTC.
                return LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException ignored) {
                throw InvalidEventException.invalid("eventTime",
                        "eventTime must be an RFC 3339 date-time (e.g. 2025-01-15T10:00:00.000Z; without an offset UTC is assumed), got '" + abbreviate(text) + "'");
            }
        }
    }

    private static String eventType(JsonNode root) throws InvalidEventException {
        JsonNode node = present(root, "eventType");
        if (node == null) {
            return null;
        }
        if (!node.isTextual() || !EVENT_TYPES.contains(node.textValue())) {
            throw InvalidEventException.invalid("eventType", "eventType must be one of " + String.join("|", EVENT_TYPES.stream().sorted().toList())
                    + " (upper case), got " + abbreviate(node.toString()));
        }
        return node.textValue();
    }

    private static void checkDatasets(JsonNode root, String key) throws InvalidEventException {
        JsonNode list = present(root, key);
        if (list == null) {
            return;
        }
        if (!list.isArray()) {
            throw InvalidEventException.invalid(key, key + " must be an array of datasets");
        }
        for (int i = 0; i < list.size(); i++) {
            checkDataset(list.get(i), key + "[" + i + "]");
        }
    }

    private static void checkDataset(JsonNode dataset, String path) throws InvalidEventException {
        requireObject(dataset, path);
        requireText(dataset, "namespace", path + ".namespace", MAX_NAMESPACE_BYTES);
        requireText(dataset, "name", path + ".name", MAX_NAME_BYTES);
        optionalObject(dataset, "facets", path + ".facets");
        optionalObject(dataset, "inputFacets", path + ".inputFacets");
        optionalObject(dataset, "outputFacets", path + ".outputFacets");
    }

    private static JsonNode present(JsonNode parent, String key) {
        JsonNode node = parent.get(key);
        return node == null || node.isNull() ? null : node;
    }

    private static void requireObject(JsonNode node, String path) throws InvalidEventException {
        if (node == null || !node.isObject()) {
            throw InvalidEventException.invalid(path, path + " must be a JSON object");
        }
    }

    private static void optionalObject(JsonNode parent, String key, String path) throws InvalidEventException {
        JsonNode node = present(parent, key);
        if (node != null && !node.isObject()) {
            throw InvalidEventException.invalid(path, path + " must be a JSON object");
        }
    }

    private static void optionalText(JsonNode parent, String key) throws InvalidEventException {
        JsonNode node = present(parent, key);
        if (node != null && !node.isTextual()) {
            throw InvalidEventException.invalid(key, key + " must be a string");
        }
    }

    private static String requireText(JsonNode parent, String key, String path, int maxBytes) throws InvalidEventException {
        JsonNode node = present(parent, key);
        if (node == null) {
            throw InvalidEventException.invalid(path, "missing required field " + path);
        }
        if (!node.isTextual()) {
            throw InvalidEventException.invalid(path, path + " must be a string, got " + node.getNodeType().name().toLowerCase());
        }
        String text = node.textValue();
        if (text.isBlank()) {
            throw InvalidEventException.invalid(path, path + " must not be empty");
        }
        if (Utf8.firstLoneSurrogate(text) >= 0) {
            throw InvalidEventException.invalid(path, path + " holds an unpaired surrogate (\\u" + Integer.toHexString(text.charAt(Utf8.firstLoneSurrogate(text)))
                    + "): it is not a Unicode character and would be stored as another name");
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            throw InvalidEventException.invalid(path, path + " is " + bytes + " bytes long; the limit is " + maxBytes);
        }
        return text;
    }

    private static String hash(JsonNode root) {
        try {
            byte[] canonical = Json.CANONICAL.writeValueAsBytes(root);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash event", e);
        }
    }

    private static String stripBom(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
