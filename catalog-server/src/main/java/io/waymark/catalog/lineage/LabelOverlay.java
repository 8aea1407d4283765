package io.waymark.catalog.lineage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.micronaut.context.event.ApplicationEventListener;
import io.waymark.catalog.cluster.Leadership;
import io.waymark.catalog.config.WaymarkConfig;
import io.waymark.catalog.governance.LabelsChanged;
import io.waymark.catalog.projection.GraphChange;
import io.waymark.catalog.projection.GraphChangeListener;
import jakarta.inject.Singleton;
import org.neo4j.driver.TransactionContext;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The datasets' classification badges of lineage answers, kept in memory. Reading them was half
 * of a deep lineage answer's time (every field of every dataset on the path, in Cypher, per
 * request). Labels change in two places, and both tell this cache: a projection batch
 * (detected, declared, steward labels; schema changes) at its commit's switch, and propagation
 * once its writes have committed ({@link LabelsChanged}). A batch that changed anything labels
 * derive from empties the cache; other batches drop the datasets they touched. As with the node
 * cache, badges read before an invalidation are not stored after it. Whatever else comes to write
 * CLASSIFIED_AS or SUSPECTED_AS must publish {@link LabelsChanged} after its commit, or lineage shows
 * stale badges ({@code PropagationScopeTest} compares them with a fresh read).
 * <p>
 * Only the leader keeps the cache: propagation runs there, and a follower would not hear of it.
 */
@Singleton
public class LabelOverlay implements GraphChangeListener, ApplicationEventListener<LabelsChanged> {
    private static final ArrayNode NONE = io.waymark.catalog.api.JsonView.F.arrayNode();
    private final Leadership leadership;
    /** Each dataset's badges; {@link #NONE} for a dataset that has none. */
    private final GenerationCache<ArrayNode> badges;

    public LabelOverlay(WaymarkConfig config, Leadership leadership) {
        this.leadership = leadership;
        this.badges = new GenerationCache<>(config.getLineageNodeCache());
        leadership.onChange(leader -> badges.clear());
    }

    /** Each dataset's active labels (absent: none), from the cache where it has them. Shared arrays: never modify them. */
    public Map<String, ArrayNode> ofDatasets(TransactionContext tx, List<String> keys) {
        if (!leadership.isLeader()) {
            return LineageLabels.ofDatasets(tx, keys);
        }
        long readIn = badges.generation();
        Map<String, ArrayNode> cached = badges.getAll(keys);
        List<String> missing = keys.stream().filter(key -> !cached.containsKey(key)).toList();
        Map<String, ArrayNode> found = new HashMap<>(cached);
        found.values().removeIf(labels -> labels == NONE);
        if (missing.isEmpty()) {
            return found;
        }
        Map<String, ArrayNode> read = LineageLabels.ofDatasets(tx, missing);
        found.putAll(read);
        Map<String, ArrayNode> keep = new HashMap<>();
        for (String key : missing) {
            keep.put(key, read.getOrDefault(key, NONE));
        }
        badges.putAll(keep, readIn);
        return found;
    }

    @Override
    public boolean view() {
        return true;
    }

    @Override
    public Runnable prepare(TransactionContext tx, GraphChange change) {
        return () -> {
            if (change.labelInputs()) {
                badges.clear();
            } else {
                badges.invalidate(change.nodes());
            }
        };
    }

    @Override
    public void onApplicationEvent(LabelsChanged event) {
        badges.invalidate(event.datasets());
    }

    @Override
    public void reset() {
        badges.clear();
    }
}
