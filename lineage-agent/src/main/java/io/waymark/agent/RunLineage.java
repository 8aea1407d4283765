package io.waymark.agent;

import io.waymark.agent.jdbc.ConnectionInfo;
import io.waymark.sql.SqlLineage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything one run read and wrote, gathered from its statements: datasets, the schemas the run
 * itself defined, column lineage per output column and dataset-wide indirect dependencies, and
 * the statements that could not be analysed. Thread-safe; snapshots are copies.
 */
public final class RunLineage {
    public record Dataset(String namespace, String name) {}

    public record Source(Dataset dataset, String field, String type, String subtype, boolean masking) {}

    public record Failure(String sql, String message) {}

    public record Snapshot(Set<Dataset> inputs, Set<Dataset> outputs, Map<Dataset, List<SqlLineage.ColumnDef>> schemas,
                           Map<Dataset, Map<String, List<Source>>> columnLineage, Map<Dataset, List<Source>> indirect,
                           int statements, List<Failure> failures, int failed) {}

    private static final int MAX_FAILURES = 20;

    private final Set<Dataset> inputs = new LinkedHashSet<>();
    private final Set<Dataset> outputs = new LinkedHashSet<>();
    private final Map<Dataset, List<SqlLineage.ColumnDef>> schemas = new LinkedHashMap<>();
    private final Map<Dataset, Map<String, List<Source>>> columnLineage = new LinkedHashMap<>();
    private final Map<Dataset, List<Source>> indirect = new LinkedHashMap<>();
    private final List<Failure> failures = new ArrayList<>();
    private int statements;
    private int failed;

    /** Adds one analysed statement; true when the run's lineage changed. */
    public synchronized boolean add(SqlLineage.Effect effect, ConnectionInfo connection) {
        statements++;
        boolean changed = false;
        for (SqlLineage.TableRef t : effect.inputs()) {
            changed |= inputs.add(dataset(connection, t));
        }
        if (effect.output() != null) {
            Dataset out = dataset(connection, effect.output());
            changed |= outputs.add(out);
            if (!effect.outputColumns().isEmpty() && !effect.outputColumns().equals(schemas.get(out))) {
                schemas.put(out, List.copyOf(effect.outputColumns()));
                changed = true;
            }
            for (Map.Entry<String, List<SqlLineage.Source>> e : effect.columnLineage().entrySet()) {
                List<Source> sources = columnLineage.computeIfAbsent(out, k -> new LinkedHashMap<>()).computeIfAbsent(e.getKey(), k -> new ArrayList<>());
                for (SqlLineage.Source s : e.getValue()) {
                    changed |= addOnce(sources, source(connection, s));
                }
            }
            for (SqlLineage.Source s : effect.indirect()) {
                changed |= addOnce(indirect.computeIfAbsent(out, k -> new ArrayList<>()), source(connection, s));
            }
        }
        return changed;
    }

    /** A dataset the run is declared to read or write (the wrapper's --input / --output). */
    public synchronized void declare(Dataset dataset, boolean output) {
        (output ? outputs : inputs).add(dataset);
    }

    public synchronized boolean failed(String sql, String message) {
        statements++;
        failed++;
        if (failures.size() < MAX_FAILURES) {
            failures.add(new Failure(sql.length() > 500 ? sql.substring(0, 500) + "…" : sql, message));
            return true;
        }
        return false;
    }

    /** True when the statement writes a table whose schema the run neither defined nor has read yet. */
    public synchronized boolean outputSchemaUnknown(SqlLineage.Effect effect, ConnectionInfo connection) {
        return effect.output() != null && effect.outputColumns().isEmpty() && !schemas.containsKey(dataset(connection, effect.output()));
    }

    /** A table's columns as the database describes them; true when that is new. */
    public synchronized boolean described(ConnectionInfo connection, SqlLineage.TableRef table, List<SqlLineage.ColumnDef> columns) {
        Dataset d = dataset(connection, table);
        if (schemas.containsKey(d)) {
            return false;
        }
        schemas.put(d, List.copyOf(columns));
        return true;
    }

    /** The columns of a table this run created or described, in order (null when unknown). */
    public synchronized List<String> columns(ConnectionInfo connection, SqlLineage.TableRef table) {
        List<SqlLineage.ColumnDef> defs = schemas.get(dataset(connection, table));
        return defs == null ? null : defs.stream().map(SqlLineage.ColumnDef::name).toList();
    }

    public synchronized Snapshot snapshot() {
        Map<Dataset, Map<String, List<Source>>> lineage = new LinkedHashMap<>();
        columnLineage.forEach((d, m) -> {
            Map<String, List<Source>> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            lineage.put(d, copy);
        });
        Map<Dataset, List<Source>> indirectCopy = new LinkedHashMap<>();
        indirect.forEach((d, l) -> indirectCopy.put(d, List.copyOf(l)));
        return new Snapshot(new LinkedHashSet<>(inputs), new LinkedHashSet<>(outputs), new LinkedHashMap<>(schemas), lineage, indirectCopy,
                statements, List.copyOf(failures), failed);
    }

    private static boolean addOnce(List<Source> list, Source s) {
        if (list.contains(s)) {
            return false;
        }
        list.add(s);
        return true;
    }

    private static Dataset dataset(ConnectionInfo connection, SqlLineage.TableRef t) {
        return new Dataset(connection.namespace(), connection.datasetName(t));
    }

    private static Source source(ConnectionInfo connection, SqlLineage.Source s) {
        return new Source(dataset(connection, s.table()), s.column(), s.type(), s.subtype(), s.masking());
    }
}
