package io.waymark.catalog.projection;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A parameter {@link Row} behaves as a {@link LinkedHashMap} with the same operations, nulls included. */
class RowTest {
    @Test
    void aRowAnswersAsALinkedHashMapThroughPutsRemovalsAndIteration() {
        Random random = new Random(19);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            // Equal names that are not the same string: lookups must not rely on identity alone.
            names.add(new String("k" + i));
        }
        for (int round = 0; round < 200; round++) {
            Row row = new Row();
            Map<String, Object> expected = new LinkedHashMap<>();
            for (int op = 0; op < 60; op++) {
                String key = "k" + random.nextInt(names.size());
                Object value = random.nextInt(4) == 0 ? null : random.nextInt(100);
                switch (random.nextInt(4)) {
                    case 0, 1 -> assertEquals(expected.put(key, value), row.put(random.nextBoolean() ? key : names.get(Integer.parseInt(key.substring(1))), value));
                    case 2 -> assertEquals(expected.remove(key), row.remove(key));
                    default -> {
                        var it = row.entrySet().iterator();
                        var ex = expected.entrySet().iterator();
                        while (it.hasNext() && ex.hasNext()) {
                            var e = it.next();
                            var x = ex.next();
                            assertEquals(x.getKey(), e.getKey());
                            if (e.getKey().equals(key)) {
                                e.setValue(value);
                                x.setValue(value);
                            }
                        }
                    }
                }
                assertEquals(expected, row);
                assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(row.keySet()), "insertion order");
                assertEquals(expected.containsKey(key), row.containsKey(key));
                assertEquals(expected.get(key), row.get(key));
            }
            assertEquals(expected, Row.copyOf(row));
        }
    }

    @Test
    void aValueNeedsAName() {
        assertThrows(NullPointerException.class, () -> new Row().put(null, 1));
    }
}
