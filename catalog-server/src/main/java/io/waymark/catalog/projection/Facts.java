package io.waymark.catalog.projection;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.waymark.catalog.journal.JournalEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one lineage entry contributes to the current graph, as named facts: the nodes it creates
 * or touches, each property and facet it sets, each current edge it adds. Retention keeps, for
 * every fact, the entries that decide its value in the graph (the last to set it, and the first
 * and last in time where the graph keeps a span such as firstSeen/lastSeen or createdAt), so a
 * journal compacted to those entries rebuilds the same graph without the rest of the run history.
 * Derived from the same {@link EventProjection} the projector uses: a new kind of row must be
 * named here too ({@code FactsTest} fails on a batch list this class does not read).
 */
public final class Facts {
    /**
     * @param span facts whose first, last, earliest and latest contributors all matter
     * @param last facts only the last contributor (journal order) decides
     * @param runIo current-edge facts of a run, which count only when the run did not fail
     * @param runId the run a run event belongs to (null otherwise), {@code parentRunId} its parent run
     * @param namespaces the namespaces of the entry's job or dataset: what a per-namespace policy matches
     */
    public record Contribution(List<String> span, List<String> last, List<String> runIo, String runId, String parentRunId,
                               List<String> namespaces) {}

    private final EventProjection projection;

    public Facts(ObjectMapper mapper) {
        this.projection = new EventProjection(mapper);
    }

    /** The facts of a RUN, JOB or DATASET entry. */
    public Contribution of(JournalEntry entry) throws Exception {
        ProjectionBatch b = new ProjectionBatch();
        projection.add(entry, b);
        List<String> span = new ArrayList<>();
        List<String> last = new ArrayList<>();
        List<String> runIo = new ArrayList<>();
        List<String> namespaces = new ArrayList<>();
        b.namespaceTimes.forEach(r -> span.add("ns|" + r.get("name")));
        for (Map<String, Object> d : b.datasets) {
            String key = (String) d.get("key");
            span.add("node|" + key);
            properties(key, d, last);
        }
        b.schemas.forEach(s -> {
            last.add("schema|" + s.get("datasetKey"));
            @SuppressWarnings("unchecked") List<Map<String, Object>> fields = (List<Map<String, Object>>) s.get("fields");
            fields.forEach(f -> last.add("field|" + f.get("key")));
        });
        for (Map<String, Object> j : b.jobs) {
            String key = (String) j.get("key");
            span.add("node|" + key);
            properties(key, j, last);
            namespaces.add((String) j.get("namespace"));
        }
        b.jobParents.forEach(p -> {
            span.add("node|" + p.get("parentKey"));
            last.add("parent|" + p.get("key"));
            last.add("partOf|" + p.get("key") + "|" + p.get("parentKey"));
        });
        b.runIo.forEach(r -> {
            runIo.add("io|" + r.get("jobKey") + "|" + r.get("dsKey") + "|" + r.get("dir"));
            if ("WROTE".equals(r.get("dir"))) {
                span.add("version|" + r.get("dsKey"));
            }
        });
        b.staticIo.forEach(r -> span.add("static|" + r.get("jobKey") + "|" + r.get("dsKey") + "|" + r.get("dir")));
        // An input field's dataset may first appear here (created on the spot, with this entry's time).
        b.columnLineage.forEach(c -> {
            span.add("node|" + c.get("inDatasetKey"));
            span.add("derives|" + c.get("outKey") + "|" + c.get("inKey") + "|" + c.get("jobKey") + "|" + c.get("type") + "|" + c.get("subtype"));
        });
        b.datasetDependencies.forEach(c -> {
            span.add("node|" + c.get("inDatasetKey"));
            span.add("depends|" + c.get("dsKey") + "|" + c.get("inKey") + "|" + c.get("jobKey") + "|" + c.get("type") + "|" + c.get("subtype"));
        });
        b.symlinks.forEach(s -> {
            span.add("node|" + s.get("aliasKey"));
            last.add("symlink|" + s.get("key") + "|" + s.get("aliasKey"));
        });
        b.owners.forEach(o -> last.add("owner|" + o.get("key") + "|" + o.get("owner")));
        b.declared.forEach(d -> last.add("declared|" + d.get("fieldKey") + "|" + d.get("code")));
        if (entry.kind().equals("DATASET") && !b.datasets.isEmpty()) {
            namespaces.add((String) b.datasets.get(0).get("namespace"));
        }
        String runId = b.runs.isEmpty() ? null : (String) b.runs.get(0).get("runId");
        String parentRunId = b.runParents.isEmpty() ? null : (String) b.runParents.get(0).get("parentRunId");
        return new Contribution(span, last, runIo, runId, parentRunId, namespaces);
    }

    /** Each property a row sets on its node, and each custom facet name (merged by name on the node). */
    private static void properties(String key, Map<String, Object> row, List<String> last) {
        ((Map<?, ?>) row.get("props")).keySet().forEach(p -> last.add("prop|" + key + "|" + p));
        Object names = row.get(Facets.NAMES);
        if (names instanceof List<?> list) {
            list.forEach(n -> last.add("facet|" + key + "|" + n));
        }
    }

    /** The batch lists this class reads; the rest are governance rows or run history, which retention never drops by fact. */
    static final List<String> READ = List.of("namespaceTimes", "datasets", "schemas", "jobs", "jobParents", "runIo", "staticIo",
            "columnLineage", "datasetDependencies", "symlinks", "owners", "declared", "runs", "runParents");
}
