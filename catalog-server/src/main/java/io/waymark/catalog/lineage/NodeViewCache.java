package io.waymark.catalog.lineage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.api.RawJson;
import io.waymark.catalog.config.WaymarkConfig;
import io.waymark.catalog.projection.GraphChange;
import io.waymark.catalog.projection.GraphChangeListener;
import jakarta.inject.Singleton;

import java.util.Collection;
import java.util.Map;

/**
 * The JSON text of lineage graph nodes, written once and copied into every answer that shows them, so deep walks do not read the same datasets and jobs from
 * Neo4j again and again. Bounded (least recently used goes first); an entry goes as soon as a
 * projection batch touches its node. A view read before an invalidation is not stored after it:
 * every invalidation moves the generation on, and {@link #putAll} keeps only views read in the
 * current generation.
 */
@Singleton
public class NodeViewCache implements GraphChangeListener {
    private final GenerationCache<NodeView> views;

    public NodeViewCache(WaymarkConfig config) {
        this.views = new GenerationCache<>(config.getLineageNodeCache());
    }

    /**
     * A node's {@code data} as JSON text, in full and without a dataset's schema fields
     * ({@code fields=false}; the same text for a job).
     */
    public record NodeView(RawJson full, RawJson withoutFields) {
        public static NodeView of(ObjectNode data) {
            RawJson full = new RawJson(JsonView.write(data));
            if (!data.has("fields")) {
                return new NodeView(full, full);
            }
            ObjectNode copy = data.deepCopy();
            copy.remove(java.util.List.of("fields", "fieldsTruncated"));
            return new NodeView(full, new RawJson(JsonView.write(copy)));
        }

        public RawJson text(boolean fields) {
            return fields ? full : withoutFields;
        }
    }

    /** Taken before reading views from the graph, and given back to {@link #putAll}. */
    public long generation() {
        return views.generation();
    }

    /** The cached views of the given keys; missing ones are absent from the map. */
    public Map<String, NodeView> getAll(Collection<String> keys) {
        return views.getAll(keys);
    }

    public void putAll(Map<String, NodeView> read, long readInGeneration) {
        views.putAll(read, readInGeneration);
    }

    /** Forgets the batch's nodes at the commit's switch: a view read before it is not kept after. */
    @Override
    public boolean view() {
        return true;
    }

    @Override
    public Runnable prepare(org.neo4j.driver.TransactionContext tx, GraphChange change) {
        return () -> views.invalidate(java.util.stream.Stream.concat(change.jobs().stream(), change.nodes().stream()).toList());
    }

    @Override
    public void reset() {
        views.clear();
    }
}
