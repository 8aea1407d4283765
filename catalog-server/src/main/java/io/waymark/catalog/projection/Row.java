package io.waymark.catalog.projection;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A statement parameter row: a dozen named values in two arrays, in the order they were put. A
 * batch holds a row per dataset, per run input or output and per folded dataset until its
 * commit, 192,000 rows for an event reading 64,000 tables; as {@link java.util.HashMap}s (a node
 * per entry, a table, the map) they took 90 MB of the heap during that event's projection, as
 * rows 28 MB (class histograms, BENCHMARKS.md). Lookups scan the keys, which are few and mostly
 * the same string literals, so they compare by identity first. Nulls are allowed: the driver
 * sends them as Cypher's null.
 */
final class Row extends AbstractMap<String, Object> {
    private String[] keys;
    private Object[] values;
    private int size;

    Row() {
        this(10);
    }

    private Row(int capacity) {
        keys = new String[capacity];
        values = new Object[capacity];
    }

    /** A copy of {@code map} with room for a few more values. */
    static Row copyOf(Map<String, Object> map) {
        Row row = new Row(map.size() + 4);
        map.forEach(row::put);
        return row;
    }

    private int indexOf(Object key) {
        for (int i = 0; i < size; i++) {
            if (keys[i] == key) {
                return i;
            }
        }
        for (int i = 0; i < size; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Object get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Object put(String key, Object value) {
        int i = indexOf(key);
        if (i >= 0) {
            Object old = values[i];
            values[i] = value;
            return old;
        }
        if (key == null) {
            throw new NullPointerException("a row's value needs a name");
        }
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        keys[size] = key;
        values[size++] = value;
        return null;
    }

    @Override
    public Object remove(Object key) {
        int i = indexOf(key);
        if (i < 0) {
            return null;
        }
        Object old = values[i];
        removeAt(i);
        return old;
    }

    private void removeAt(int i) {
        System.arraycopy(keys, i + 1, keys, i, size - i - 1);
        System.arraycopy(values, i + 1, values, i, size - i - 1);
        size--;
        keys[size] = null;
        values[size] = null;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;
                    private int last = -1;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        last = next++;
                        int at = last;
                        return new SimpleEntry<>(keys[at], values[at]) {
                            @Override
                            public Object setValue(Object value) {
                                values[at] = value;
                                return super.setValue(value);
                            }
                        };
                    }

                    @Override
                    public void remove() {
                        if (last < 0) {
                            throw new IllegalStateException();
                        }
                        removeAt(last);
                        next = last;
                        last = -1;
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }
}
