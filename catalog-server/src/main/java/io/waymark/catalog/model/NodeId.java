package io.waymark.catalog.model;

/**
 * Marquez-compatible node ids: {@code dataset:<ns>:<name>}, {@code job:<ns>:<name>},
 * {@code datasetField:<ns>:<name>:<field>}, {@code run:<uuid>}. Namespaces such as
 * {@code postgres://db:5432} contain ':' themselves, so an id is never split to find a node:
 * the whole id is the graph key, and only its type prefix is read.
 */
public record NodeId(Type type, String value) {
    public enum Type {
        DATASET("dataset"), JOB("job"), FIELD("datasetField"), RUN("run");

        private final String prefix;

        Type(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
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
        return "dataset:" + namespace + ":" + name;
    }

    public static String job(String namespace, String name) {
        return "job:" + namespace + ":" + name;
    }

    public static String field(String namespace, String dataset, String field) {
        return "datasetField:" + namespace + ":" + dataset + ":" + field;
    }

    public static String run(String runId) {
        return "run:" + runId;
    }

    /** The dataset key a field key belongs to, given the field's own name. */
    public static String datasetOfField(String fieldKey, String fieldName) {
        String withoutField = fieldKey.substring(0, fieldKey.length() - fieldName.length() - 1);
        return "dataset:" + withoutField.substring("datasetField:".length());
    }
}
