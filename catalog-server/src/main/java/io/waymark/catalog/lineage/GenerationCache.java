package io.waymark.catalog.lineage;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded map (least recently used goes first) of what lineage answers read from the graph,
 * that never keeps a value read before an invalidation: a reader takes the {@link #generation}
 * before it reads, and {@link #putAll} stores its values only if no invalidation came since.
 * Invalidations come at a projection batch's commit switch and after propagation's writes.
 */
final class GenerationCache<V> {
    private final Map<String, V> values;
    private long generation;

    GenerationCache(int capacity) {
        this.values = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized long generation() {
        return generation;
    }

    /** The cached values of the given keys; missing ones are absent from the map. */
    synchronized Map<String, V> getAll(Collection<String> keys) {
        Map<String, V> found = new HashMap<>();
        for (String key : keys) {
            V value = values.get(key);
            if (value != null) {
                found.put(key, value);
            }
        }
        return found;
    }

    /** Keeps values read in generation {@code readIn}, unless something was invalidated since. */
    synchronized void putAll(Map<String, V> read, long readIn) {
        if (readIn == generation) {
            values.putAll(read);
        }
    }

    synchronized void invalidate(Collection<String> keys) {
        generation++;
        keys.forEach(values::remove);
    }

    synchronized void clear() {
        generation++;
        values.clear();
    }
}
