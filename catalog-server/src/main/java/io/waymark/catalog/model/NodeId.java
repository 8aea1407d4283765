package io.waymark.catalog.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Node ids and graph keys. Marquez spells ids {@code dataset:<ns>:<name>}, {@code job:<ns>:<name>},
 * {@code datasetField:<ns>:<name>:<field>}, {@code run:<uuid>}; since namespaces
 * ({@code postgres://db:5432}) and names may both contain ':', such a text can stand for several
 * nodes: {@code dataset:coll:x:y} is ({@code coll:x}, {@code y}) and ({@code coll}, {@code x:y}).
 * The graph key is therefore the Marquez text with each part after the namespace escaped, so that
 * the namespace always ends at the key's last colon (the field's: its last but one): a ':' in a
 * name becomes {@code %3A} and a '%' {@code %25}. Only names that contain ':' or either escape
 * are escaped, so for every other node the key and Marquez's id are the same text.
 */
public record NodeId(Type type, String value) {
    /** A text with more colons than this is not split into candidates (the split count grows with its square). */
    private static final int MAX_COLONS = 64;

    public enum Type {
        DATASET("dataset", "Dataset"), JOB("job", "Job"), FIELD("datasetField", "Field"), RUN("run", "Run");

        private final String prefix;
        private final String label;

        Type(String prefix, String label) {
            this.prefix = prefix;
            this.label = label;
        }

        public String prefix() {
            return prefix;
        }

        /** The graph label of nodes of this type. */
        public String label() {
            return label;
        }
    }

    public static NodeId parse(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("nodeId is empty");
        }
        for (Type type : Type.values()) {
            if (id.startsWith(type.prefix + ":") && id.length() > type.prefix.length() + 1) {
                return new NodeId(type, id);
            }
        }
        throw new IllegalArgumentException("nodeId must start with dataset:, job:, datasetField: or run:, got '" + id + "'");
    }

    public static String dataset(String namespace, String name) {
        return "dataset:" + namespace + ":" + escape(name);
    }

    public static String job(String namespace, String name) {
        return "job:" + namespace + ":" + escape(name);
    }

    public static String field(String namespace, String dataset, String field) {
        return "datasetField:" + namespace + ":" + escape(dataset) + ":" + escape(field);
    }

    /** The key of a field of the dataset with key {@code datasetKey}. */
    public static String fieldOf(String datasetKey, String field) {
        return "datasetField:" + datasetKey.substring("dataset:".length()) + ":" + escape(field);
    }

    public static String run(String runId) {
        return "run:" + runId;
    }

    /** The dataset key a field key belongs to. */
    public static String datasetOfField(String fieldKey) {
        return "dataset:" + fieldKey.substring("datasetField:".length(), fieldKey.lastIndexOf(':'));
    }

    /**
     * Marquez's id for a graph key: the same text with the escapes undone. Two nodes may share it,
     * which is why a key, not this, identifies a node.
     */
    public static String display(String key) {
        if (key == null || key.indexOf('%') < 0) {
            return key;
        }
        int parts = key.startsWith("datasetField:") ? 2 : key.startsWith("dataset:") || key.startsWith("job:") ? 1 : 0;
        int cut = key.length();
        for (int i = 0; i < parts && cut > 0; i++) {
            cut = key.lastIndexOf(':', cut - 1);
        }
        if (parts == 0 || cut < 0) {
            return key;
        }
        StringBuilder out = new StringBuilder(key.substring(0, cut + 1));
        for (String part : key.substring(cut + 1).split(":", -1)) {
            out.append(unescape(part)).append(':');
        }
        return out.substring(0, out.length() - 1);
    }

    /**
     * The graph keys a text may stand for: the text itself read as a key, and every way of reading
     * it as Marquez's id (each colon may end the namespace, and for a field each later one the
     * dataset's name). {@code namespace} and {@code name}, when given, keep only the readings that
     * agree with them.
     */
    public static List<String> candidates(NodeId id, String namespace, String name) {
        Set<String> keys = new LinkedHashSet<>();
        String rest = id.value().substring(id.type().prefix.length() + 1);
        if (id.type() == Type.RUN) {
            return List.of(id.value());
        }
        List<Integer> colons = new ArrayList<>();
        for (int i = rest.indexOf(':'); i >= 0 && colons.size() <= MAX_COLONS; i = rest.indexOf(':', i + 1)) {
            colons.add(i);
        }
        if (namespace == null && name == null && isKey(id)) {
            keys.add(id.value());
        }
        if (colons.size() > MAX_COLONS) {
            return List.copyOf(keys);
        }
        for (int c = 0; c < colons.size(); c++) {
            String ns = rest.substring(0, colons.get(c));
            String tail = rest.substring(colons.get(c) + 1);
            if (ns.isEmpty() || tail.isEmpty() || namespace != null && !namespace.equals(ns)) {
                continue;
            }
            if (id.type() != Type.FIELD) {
                if (name == null || name.equals(tail)) {
                    keys.add(id.type().prefix + ":" + ns + ":" + escape(tail));
                }
                continue;
            }
            for (int d = c + 1; d < colons.size(); d++) {
                String dataset = rest.substring(colons.get(c) + 1, colons.get(d));
                String field = rest.substring(colons.get(d) + 1);
                if (!dataset.isEmpty() && !field.isEmpty() && (name == null || name.equals(dataset))) {
                    keys.add(field(ns, dataset, field));
                }
            }
        }
        return List.copyOf(keys);
    }

    /** Whether the text is a well-formed key: its name parts hold no colon of their own. */
    private static boolean isKey(NodeId id) {
        String rest = id.value().substring(id.type().prefix.length() + 1);
        long colons = rest.chars().filter(c -> c == ':').count();
        return colons >= (id.type() == Type.FIELD ? 2 : 1);
    }

    static String escape(String part) {
        if (part.indexOf(':') < 0 && !part.contains("%3A") && !part.contains("%25")) {
            return part;
        }
        return part.replace("%", "%25").replace(":", "%3A");
    }

    static String unescape(String part) {
        if (!part.contains("%3A") && !part.contains("%25")) {
            return part;
        }
        StringBuilder out = new StringBuilder(part.length());
        for (int i = 0; i < part.length(); i++) {
            if (part.startsWith("%3A", i)) {
                out.append(':');
                i += 2;
            } else if (part.startsWith("%25", i)) {
                out.append('%');
                i += 2;
            } else {
                out.append(part.charAt(i));
            }
        }
        return out.toString();
    }
}
