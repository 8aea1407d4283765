package io.waymark.agent.jdbc;

import io.waymark.agent.jdbc.SqlLineage.Source;
import io.waymark.agent.jdbc.SqlLineage.TableRef;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.waymark.agent.jdbc.SqlLineage.unquote;

/**
 * The column lineage of a query that feeds a write: which input columns each output column comes
 * from and how (a plain column DIRECT/IDENTITY, an aggregate DIRECT/AGGREGATION, a hash function
 * DIRECT/TRANSFORMATION with masking, any other expression DIRECT/TRANSFORMATION), and the columns
 * in WHERE, JOIN, GROUP BY, HAVING and ORDER BY as INDIRECT dependencies of the whole output.
 * UNION branches fill the columns by position; sub-queries in FROM are not followed. UPDATE and
 * MERGE assignments are read the same way ({@link WriteColumns}).
 */
record SelectColumns(Map<String, List<Source>> lineage, List<Source> indirect) {
    private static final Set<String> AGGREGATES = Set.of("count", "sum", "avg", "min", "max", "stddev", "stddev_pop", "stddev_samp",
            "variance", "var_pop", "var_samp", "group_concat", "string_agg", "array_agg", "listagg", "median", "percentile_cont",
            "percentile_disc", "approx_count_distinct", "collect_list", "collect_set", "bool_and", "bool_or", "every", "total");
    private static final Set<String> HASHES = Set.of("md5", "sha", "sha1", "sha2", "sha224", "sha256", "sha384", "sha512", "hash",
            "hashbytes", "standard_hash", "digest", "hmac", "crc32", "xxhash64", "murmur3", "farm_fingerprint", "fnv_hash",
            "sha256_hex", "md5_hex", "sha1_hex", "sha2_hex");

    /** Column lineage of a query feeding {@code targetColumns} (positional; empty: the query's own names). */
    static SelectColumns of(Select select, List<String> targetColumns, java.util.function.Function<TableRef, List<String>> known) {
        SelectColumns q = new SelectColumns(new LinkedHashMap<>(), new ArrayList<>());
        List<PlainSelect> branches = new ArrayList<>();
        collectBranches(select, branches);
        if (targetColumns.isEmpty() && branches.size() > 1) {
            // A set operation's columns are named by its first branch; the others fill them by position.
            List<String> names = new ArrayList<>();
            for (SelectItem<?> item : branches.get(0).getSelectItems()) {
                Expression e = item.getExpression();
                if (e instanceof AllColumns || e instanceof AllTableColumns) {
                    names.clear();
                    break;
                }
                names.add(item.getAlias() != null ? unquote(item.getAlias().getName()) : e instanceof Column c ? unquote(c.getColumnName()) : null);
            }
            targetColumns = names;
        }
        for (PlainSelect ps : branches) {
            Map<String, TableRef> aliases = aliases(ps);
            Resolver resolver = new Resolver(aliases, known);
            int position = 0;
            for (SelectItem<?> item : ps.getSelectItems()) {
                Expression e = item.getExpression();
                if (e instanceof AllColumns || e instanceof AllTableColumns) {
                    // SELECT * / t.*: expands to the known columns of the tables in FROM, in order.
                    Table only = e instanceof AllTableColumns atc ? atc.getTable() : null;
                    for (Map.Entry<String, TableRef> from : aliases.entrySet()) {
                        if (only != null && !from.getKey().equalsIgnoreCase(unquote(only.getName()))) {
                            continue;
                        }
                        List<String> columns = known.apply(from.getValue());
                        if (columns == null) {
                            position = -1;
                            break;
                        }
                        for (String c : columns) {
                            String out = outputName(targetColumns, position++, c);
                            if (out != null) {
                                add(q.lineage(), out, new Source(from.getValue(), c, "DIRECT", "IDENTITY", false));
                            }
                        }
                        if (only != null) {
                            break;
                        }
                    }
                    if (position < 0) {
                        break; // columns unknown: later positions cannot be told
                    }
                    continue;
                }
                String own = item.getAlias() != null ? unquote(item.getAlias().getName())
                        : e instanceof Column c ? unquote(c.getColumnName()) : null;
                String out = outputName(targetColumns, position++, own);
                if (out == null) {
                    continue;
                }
                addSources(q.lineage(), out, e, resolver);
            }
            indirect(ps.getWhere(), "FILTER", resolver, q.indirect());
            indirect(ps.getHaving(), "FILTER", resolver, q.indirect());
            if (ps.getJoins() != null) {
                for (Join j : ps.getJoins()) {
                    if (j.getOnExpressions() != null) {
                        j.getOnExpressions().forEach(on -> indirect(on, "JOIN", resolver, q.indirect()));
                    }
                    if (j.getUsingColumns() != null) {
                        j.getUsingColumns().forEach(c -> indirect(c, "JOIN", resolver, q.indirect()));
                    }
                }
            }
            if (ps.getGroupBy() != null && ps.getGroupBy().getGroupByExpressionList() != null) {
                for (Object g : ps.getGroupBy().getGroupByExpressionList()) {
                    indirect((Expression) g, "GROUP_BY", resolver, q.indirect());
                }
            }
            if (ps.getOrderByElements() != null) {
                for (OrderByElement o : ps.getOrderByElements()) {
                    indirect(o.getExpression(), "SORT", resolver, q.indirect());
                }
            }
        }
        // Output columns with no resolvable source carry no lineage.
        q.lineage().values().removeIf(List::isEmpty);
        return q;
    }

    private static void collectBranches(Select select, List<PlainSelect> out) {
        if (select instanceof PlainSelect ps) {
            out.add(ps);
        } else if (select instanceof SetOperationList set) {
            set.getSelects().forEach(s -> collectBranches(s, out));
        } else if (select instanceof ParenthesedSelect p && p.getSelect() != null) {
            collectBranches(p.getSelect(), out);
        }
    }

    private static String outputName(List<String> targetColumns, int position, String own) {
        if (!targetColumns.isEmpty()) {
            return position < targetColumns.size() ? targetColumns.get(position) : null;
        }
        return own;
    }

    /** The columns an expression reads, as DIRECT sources of {@code out}: IDENTITY, AGGREGATION or TRANSFORMATION (masking for a hash). */
    static void addSources(Map<String, List<Source>> lineage, String out, Expression e, Resolver resolver) {
        Collector found = collect(e);
        String subtype = e instanceof Column ? "IDENTITY" : found.aggregate ? "AGGREGATION" : "TRANSFORMATION";
        for (Column c : found.columns) {
            TableRef table = resolver.table(c);
            if (table != null) {
                add(lineage, out, new Source(table, unquote(c.getColumnName()), "DIRECT", subtype, found.hash));
            }
        }
        lineage.putIfAbsent(out, new ArrayList<>());
    }

    private static void add(Map<String, List<Source>> lineage, String out, Source source) {
        List<Source> sources = lineage.computeIfAbsent(out, k -> new ArrayList<>());
        if (!sources.contains(source)) {
            sources.add(source);
        }
    }

    static void indirect(Expression e, String subtype, Resolver resolver, List<Source> into) {
        if (e == null) {
            return;
        }
        for (Column c : collect(e).columns) {
            TableRef table = resolver.table(c);
            Source s = table == null ? null : new Source(table, unquote(c.getColumnName()), "INDIRECT", subtype, false);
            if (s != null && !into.contains(s)) {
                into.add(s);
            }
        }
    }

    /** Alias (or table name) → table for the tables in FROM and JOIN; sub-queries are not followed. */
    private static Map<String, TableRef> aliases(PlainSelect ps) {
        Map<String, TableRef> aliases = new LinkedHashMap<>();
        addFrom(ps.getFromItem(), aliases);
        if (ps.getJoins() != null) {
            ps.getJoins().forEach(j -> addFrom(j.getRightItem(), aliases));
        }
        return aliases;
    }

    static void addFrom(FromItem item, Map<String, TableRef> aliases) {
        if (item instanceof Table t) {
            String key = t.getAlias() != null ? unquote(t.getAlias().getName()) : unquote(t.getName());
            aliases.put(key, TableRef.of(t));
        }
    }

    /** Which table a column reference belongs to. */
    record Resolver(Map<String, TableRef> aliases, java.util.function.Function<TableRef, List<String>> known) {
        TableRef table(Column c) {
            Table qualifier = c.getTable();
            if (qualifier != null && qualifier.getName() != null) {
                String q = unquote(qualifier.getName());
                for (Map.Entry<String, TableRef> a : aliases.entrySet()) {
                    if (a.getKey().equalsIgnoreCase(q)) {
                        return a.getValue();
                    }
                }
                return null;
            }
            if (aliases.size() == 1) {
                return aliases.values().iterator().next();
            }
            // Unqualified with several tables: the one whose known columns include it.
            String name = unquote(c.getColumnName());
            TableRef match = null;
            for (TableRef t : aliases.values()) {
                List<String> columns = known.apply(t);
                if (columns != null && columns.stream().anyMatch(name::equalsIgnoreCase)) {
                    if (match != null) {
                        return null;
                    }
                    match = t;
                }
            }
            return match;
        }
    }

    private static final class Collector extends ExpressionVisitorAdapter<Void> {
        final List<Column> columns = new ArrayList<>();
        boolean aggregate;
        boolean hash;

        @Override
        public <S> Void visit(Column column, S context) {
            // A bare identifier that is a boolean literal or keyword parses as a column too.
            String n = column.getColumnName().toLowerCase(Locale.ROOT);
            if (!n.equals("true") && !n.equals("false") && !n.equals("null")) {
                columns.add(column);
            }
            return null;
        }

        @Override
        public <S> Void visit(Function function, S context) {
            mark(function.getName());
            return super.visit(function, context);
        }

        @Override
        public <S> Void visit(AnalyticExpression expression, S context) {
            mark(expression.getName());
            return super.visit(expression, context);
        }

        private void mark(String name) {
            if (name == null) {
                return;
            }
            String n = name.toLowerCase(Locale.ROOT);
            int dot = n.lastIndexOf('.');
            n = dot >= 0 ? n.substring(dot + 1) : n;
            aggregate |= AGGREGATES.contains(n);
            hash |= HASHES.contains(n);
        }
    }

    private static Collector collect(Expression e) {
        Collector c = new Collector();
        e.accept(c, null);
        return c;
    }
}
