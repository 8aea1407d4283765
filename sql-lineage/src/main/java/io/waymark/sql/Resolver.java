package io.waymark.sql;

import io.waymark.sql.SqlLineage.Source;
import io.waymark.sql.SqlLineage.TableRef;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.waymark.sql.SqlLineage.unquote;

/**
 * Which table a column reference reads: a real one gives one source; a virtual one (CTE,
 * sub-query) gives the sources behind its column, with the transformations composed.
 * The tables of a query's FROM and JOIN by alias (or name): a real table ({@link TableRef}) or a
 * virtual one (a CTE or an aliased sub-query, as its {@link SelectColumns}).
 */
record Resolver(Map<String, Object> from, java.util.function.Function<TableRef, List<String>> known) {
    /** The tables and virtual tables in a query's FROM and JOIN, by alias (or name). */
    static Resolver of(PlainSelect ps, java.util.function.Function<TableRef, List<String>> known, Map<String, SelectColumns> virtuals) {
        Map<String, Object> from = new LinkedHashMap<>();
        addFrom(ps.getFromItem(), from, known, virtuals);
        if (ps.getJoins() != null) {
            ps.getJoins().forEach(j -> addFrom(j.getRightItem(), from, known, virtuals));
        }
        return new Resolver(from, known);
    }

    /** A table (or a CTE named like one) or an aliased sub-query; other FROM items (functions, LATERAL …) are not followed. */
    static void addFrom(FromItem item, Map<String, Object> from, java.util.function.Function<TableRef, List<String>> known,
                        Map<String, SelectColumns> virtuals) {
        if (item instanceof Table t) {
            String key = t.getAlias() != null ? unquote(t.getAlias().getName()) : unquote(t.getName());
            SelectColumns cte = t.getSchemaName() == null ? virtuals.get(unquote(t.getName()).toLowerCase(Locale.ROOT)) : null;
            from.put(key, cte != null ? cte : TableRef.of(t));
        } else if (item instanceof ParenthesedSelect p && p.getSelect() != null) {
            String key = p.getAlias() != null ? unquote(p.getAlias().getName()) : "";
            from.put(key, SelectColumns.of(p.getSelect(), List.of(), known, List.of(), virtuals));
        }
    }

        Map<String, SelectColumns> virtuals() {
            Map<String, SelectColumns> v = new LinkedHashMap<>();
            from.forEach((k, x) -> {
                if (x instanceof SelectColumns q) {
                    v.put(k, q);
                }
            });
            return v;
        }

        List<Source> resolve(Column c, String type, String subtype, boolean masking) {
            String name = unquote(c.getColumnName());
            Table qualifier = c.getTable();
            if (qualifier != null && qualifier.getName() != null) {
                String q = unquote(qualifier.getName());
                for (String key : from.keySet()) {
                    if (key.equalsIgnoreCase(q)) {
                        return resolve(key, name, type, subtype, masking);
                    }
                }
                return List.of();
            }
            if (from.size() == 1) {
                return resolve(from.keySet().iterator().next(), name, type, subtype, masking);
            }
            // Unqualified with several: the one table or sub-query whose columns include it.
            String match = null;
            for (Map.Entry<String, Object> f : from.entrySet()) {
                List<String> columns = f.getValue() instanceof TableRef t ? known.apply(t) : ((SelectColumns) f.getValue()).columnNames();
                if (columns != null && columns.stream().anyMatch(name::equalsIgnoreCase)) {
                    if (match != null) {
                        return List.of();
                    }
                    match = f.getKey();
                }
            }
            return match == null ? List.of() : resolve(match, name, type, subtype, masking);
        }

        List<Source> resolve(String key, String column, String type, String subtype, boolean masking) {
            Object f = from.get(key);
            if (f instanceof TableRef t) {
                return List.of(new Source(t, column, type, subtype, masking));
            }
            SelectColumns v = (SelectColumns) f;
            List<Source> behind = null;
            for (Map.Entry<String, List<Source>> e : v.lineage().entrySet()) {
                if (e.getKey().equalsIgnoreCase(column)) {
                    behind = e.getValue();
                }
            }
            if (behind == null) {
                return List.of();
            }
            List<Source> sources = new ArrayList<>();
            for (Source s : behind) {
                boolean indirect = type.equals("INDIRECT");
                sources.add(new Source(s.table(), s.column(), type, indirect ? subtype : compose(subtype, s.subtype()), !indirect && (masking || s.masking())));
            }
            return sources;
        }

    /** A transformation applied over another: identity changes nothing, aggregation wins, anything else transforms. */
    static String compose(String outer, String inner) {
        if ("IDENTITY".equals(inner)) {
            return outer;
        }
        if ("IDENTITY".equals(outer)) {
            return inner;
        }
        return "AGGREGATION".equals(outer) || "AGGREGATION".equals(inner) ? "AGGREGATION" : "TRANSFORMATION";
    }
}
