package io.waymark.catalog.projection;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the projector last wrote, so a batch can leave out what would change nothing. For each
 * dataset, the hash of the schema its fields were last written from (a repeated schema's field
 * rows are not even sent). For each column-lineage edge (DERIVES_FROM, DEPENDS_ON): its
 * relationship's element id, masking, description and first/last seen. Most runs of a job repeat
 * the column lineage the graph holds; such a row then needs no MERGE of two datasets, two fields,
 * two HAS_FIELD edges and the edge itself (measured: 40 % of a batch's graph time), only its
 * lastSeen moved by element id, or nothing at all. Exact, not a heuristic: an edge is skipped only
 * when the graph holds exactly what the MERGE would leave; anything else takes the full statement.
 * Entries change only after the batch's transaction committed ({@link #commit}); {@link #clear} on
 * rebuild. Bounded: the least recently used entries go past {@code capacity}, and a missing entry
 * only costs the full statement. Keys are 128 bits of a SHA-256, so memory does not grow with key length.
 */
final class WriteCache {
    /** An edge as the graph holds it; times as epoch nanoseconds. */
    record Known(String element, boolean masking, String description, long first, long last) {}

    /** A batch's rows, split: new or changed edges, edges whose span grows, and rows that change nothing. */
    record Split(List<Map<String, Object>> merge, List<Map<String, Object>> extend, int unchanged) {}

    private record Key(long hi, long lo) {}

    /** An entry named an edge the graph no longer has: the cache is cleared and the batch tried again. */
    static final class Stale extends RuntimeException {
        Stale(String type, long expected, long matched) {
            super("the projector's write cache named " + expected + " " + type + " edges, the graph had " + matched + "; cleared, the batch is tried again");
        }
    }

    private final Map<Key, Known> known;
    private final Map<Key, Known> pending = new HashMap<>();
    private final Map<String, String> schemas;
    private final Map<String, String> pendingSchemas = new HashMap<>();

    WriteCache(int capacity) {
        this.known = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Known> eldest) {
                return size() > capacity;
            }
        };
        this.schemas = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * The schema rows (see {@link BatchFolding#schemaChanges}) minus those whose dataset's stored
     * schema is already this one; the rest will be written, and their hashes are what is stored then.
     */
    synchronized List<Map<String, Object>> changedSchemas(List<Map<String, Object>> rows) {
        List<Map<String, Object>> changed = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            String dataset = (String) row.get("datasetKey");
            String hash = (String) row.get("hash");
            String stored = pendingSchemas.containsKey(dataset) ? pendingSchemas.get(dataset) : schemas.get(dataset);
            if (!Boolean.TRUE.equals(row.get("checkStored")) || !hash.equals(stored)) {
                changed.add(row);
            }
            pendingSchemas.put(dataset, hash);
        }
        return changed;
    }

    /**
     * Splits folded edge rows (see {@link BatchFolding#edges}); each gets its {@code cacheKey}, and
     * rows to extend get the {@code element} to update.
     */
    synchronized Split split(String type, List<Map<String, Object>> rows, String fromKey) {
        List<Map<String, Object>> merge = new ArrayList<>();
        List<Map<String, Object>> extend = new ArrayList<>();
        int unchanged = 0;
        MessageDigest sha = sha256();
        for (Map<String, Object> row : rows) {
            Key key = key(sha, type, row, fromKey);
            Known k = pending.containsKey(key) ? pending.get(key) : known.get(key);
            boolean masking = Boolean.TRUE.equals(row.get("masking"));
            if (k == null || k.masking() != masking || !Objects.equals(k.description(), row.get("description"))) {
                row.put("cacheKey", List.of(key.hi(), key.lo()));
                merge.add(row);
                continue;
            }
            long first = nanos((ZonedDateTime) row.get("first"));
            long last = nanos((ZonedDateTime) row.get("last"));
            if (first >= k.first() && last <= k.last()) {
                unchanged++;
            } else {
                row.put("element", k.element());
                extend.add(row);
                pending.put(key, new Known(k.element(), masking, k.description(), Math.min(first, k.first()), Math.max(last, k.last())));
            }
        }
        return new Split(merge, extend, unchanged);
    }

    /** Records what a full statement left in the graph: [cacheKey, element id, masking, description, firstSeen, lastSeen] per row. */
    synchronized void wrote(List<List<Object>> edges) {
        for (List<Object> e : edges) {
            @SuppressWarnings("unchecked") List<Long> k = (List<Long>) e.get(0);
            pending.put(new Key(k.get(0), k.get(1)), new Known((String) e.get(1), Boolean.TRUE.equals(e.get(2)), (String) e.get(3),
                    nanos((ZonedDateTime) e.get(4)), nanos((ZonedDateTime) e.get(5))));
        }
    }

    /** The batch committed: what it wrote is what the graph holds. */
    synchronized void commit() {
        known.putAll(pending);
        pending.clear();
        schemas.putAll(pendingSchemas);
        pendingSchemas.clear();
    }

    /** The batch's transaction is being (re)tried or was rolled back: forget what it staged. */
    synchronized void discard() {
        pending.clear();
        pendingSchemas.clear();
    }

    /** The graph was emptied (rebuild): nothing is known. */
    synchronized void clear() {
        discard();
        known.clear();
        schemas.clear();
    }

    synchronized int size() {
        return known.size();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 128 bits of the SHA-256 of the edge's identity; {@code sha} is reset by digest(). */
    private static Key key(MessageDigest sha, String type, Map<String, Object> row, String fromKey) {
        for (Object part : new Object[] {type, row.get(fromKey), row.get("inKey"), row.get("jobKey"), row.get("type"), row.get("subtype")}) {
            // Length first, so no two different tuples hash the same bytes.
            byte[] bytes = String.valueOf(part).getBytes(StandardCharsets.UTF_8);
            sha.update(java.nio.ByteBuffer.allocate(4).putInt(bytes.length).array());
            sha.update(bytes);
        }
        byte[] d = sha.digest();
        return new Key(java.nio.ByteBuffer.wrap(d, 0, 8).getLong(), java.nio.ByteBuffer.wrap(d, 8, 8).getLong());
    }

    private static long nanos(ZonedDateTime t) {
        return t.toEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
