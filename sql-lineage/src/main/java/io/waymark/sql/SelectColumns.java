package io.waymark.sql;

import io.waymark.sql.SqlLineage.Source;
import io.waymark.sql.SqlLineage.TableRef;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.WithItem;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.waymark.sql.SqlLineage.unquote;

/**
 * The column lineage of a query that feeds a write: which input columns each output column comes
 * from and how (a plain column DIRECT/IDENTITY, an aggregate DIRECT/AGGREGATION, a hash function
 * DIRECT/TRANSFORMATION with masking, any other expression DIRECT/TRANSFORMATION), and the columns
 * in WHERE, JOIN, GROUP BY, HAVING and ORDER BY as INDIRECT dependencies of the whole output; a
 * window function's PARTITION BY and ORDER BY columns are INDIRECT/WINDOW dependencies of its column.
 * UNION branches fill the columns by position. Common table expressions and sub-queries in FROM
 * are virtual tables: a column read from one stands for the real columns behind it, with the
 * transformations composed, and the virtual table's own filters count for the output too. UPDATE
 * and MERGE assignments are read the same way ({@link WriteColumns}).
 *
 * @param columns the query's output columns in order (for {@code SELECT *} over it), empty when unknown
 */
record SelectColumns(Map<String, List<Source>> lineage, List<Source> indirect, List<String> columns) {
    SelectColumns(Map<String, List<Source>> lineage, List<Source> indirect) {
        this(lineage, indirect, new ArrayList<>());
    }

    private static final Set<String> AGGREGATES = Set.of("count", "sum", "avg", "min", "max", "stddev", "stddev_pop", "stddev_samp",
            "variance", "var_pop", "var_samp", "group_concat", "string_agg", "array_agg", "listagg", "median", "percentile_cont",
            "percentile_disc", "approx_count_distinct", "collect_list", "collect_set", "bool_and", "bool_or", "every", "total");
    private static final Set<String> HASHES = Set.of("md5", "sha", "sha1", "sha2", "sha224", "sha256", "sha384", "sha512", "hash",
            "hashbytes", "standard_hash", "digest", "hmac", "crc32", "xxhash64", "murmur3", "farm_fingerprint", "fnv_hash",
            "sha256_hex", "md5_hex", "sha1_hex", "sha2_hex");

    /** Column lineage of a query feeding {@code targetColumns} (positional; empty: the query's own names). */
    static SelectColumns of(Select select, List<String> targetColumns, java.util.function.Function<TableRef, List<String>> known) {
        return of(select, targetColumns, known, List.of(), Map.of());
    }

    /**
     * @param with      common table expressions of the statement around the query (an INSERT's WITH)
     * @param virtuals  virtual tables visible from outside (an enclosing query's CTEs), by lower-case name
     */
    static SelectColumns of(Select select, List<String> targetColumns, java.util.function.Function<TableRef, List<String>> known,
                            List<WithItem<?>> with, Map<String, SelectColumns> virtuals) {
        Map<String, SelectColumns> visible = new LinkedHashMap<>(virtuals);
        List<WithItem<?>> ctes = new ArrayList<>(with == null ? List.of() : with);
        if (select.getWithItemsList() != null) {
            ctes.addAll(select.getWithItemsList());
        }
        for (WithItem<?> w : ctes) {
            // Each CTE sees the ones before it. A recursive one sees itself as a table with no lineage
            // yet, so its recursive branch adds nothing and its lineage is its anchor's.
            if (w.getSelect() != null) {
                List<String> names = new ArrayList<>();
                if (w.getWithItemList() != null) {
                    w.getWithItemList().forEach(i -> names.add(unquote(i.toString())));
                }
                String name = unquote(w.getAliasName()).toLowerCase(Locale.ROOT);
                visible.put(name, new SelectColumns(new LinkedHashMap<>(), new ArrayList<>()));
                visible.put(name, of(w.getSelect(), names, known, List.of(), visible));
            }
        }
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
        boolean first = true;
        for (PlainSelect ps : branches) {
            Resolver resolver = Resolver.of(ps, known, visible);
            resolver.virtuals().values().forEach(v -> v.indirect().forEach(src -> addOnce(q.indirect(), src)));
            int position = 0;
            for (SelectItem<?> item : ps.getSelectItems()) {
                Expression e = item.getExpression();
                if (e instanceof AllColumns || e instanceof AllTableColumns) {
                    position = expandStar(q, resolver, e instanceof AllTableColumns atc ? atc.getTable() : null, targetColumns, position, first);
                    if (position < 0) {
                        break; // columns unknown: later positions cannot be told
                    }
                    continue;
                }
                String own = item.getAlias() != null ? unquote(item.getAlias().getName())
                        : e instanceof Column c ? unquote(c.getColumnName()) : null;
                String out = outputName(targetColumns, position++, own);
                if (first) {
                    q.columns().add(out);
                }
                if (out != null) {
                    addSources(q.lineage(), out, e, resolver);
                }
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
            first = false;
        }
        if (q.columns().contains(null)) {
            q.columns().clear();
        }
        // Output columns with no resolvable source carry no lineage.
        q.lineage().values().removeIf(List::isEmpty);
        return q;
    }

    /** SELECT * / t.*: the known columns of the tables in FROM, in order; -1 when some are unknown. */
    private static int expandStar(SelectColumns q, Resolver resolver, Table only, List<String> targetColumns, int position, boolean first) {
        for (Map.Entry<String, Object> from : resolver.from().entrySet()) {
            if (only != null && !from.getKey().equalsIgnoreCase(unquote(only.getName()))) {
                continue;
            }
            List<String> columns = from.getValue() instanceof TableRef t ? resolver.known().apply(t) : ((SelectColumns) from.getValue()).columns();
            if (columns == null || columns.isEmpty()) {
                q.columns().add(null);
                return -1;
            }
            for (String c : columns) {
                String out = outputName(targetColumns, position++, c);
                if (first) {
                    q.columns().add(out);
                }
                if (out != null) {
                    resolver.resolve(from.getKey(), c, "DIRECT", "IDENTITY", false).forEach(src -> add(q.lineage(), out, src));
                }
            }
        }
        return position;
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
            resolver.resolve(c, "DIRECT", subtype, found.hash).forEach(src -> add(lineage, out, src));
        }
        for (Column c : found.window) {
            resolver.resolve(c, "INDIRECT", "WINDOW", false).forEach(src -> add(lineage, out, src));
        }
        lineage.putIfAbsent(out, new ArrayList<>());
    }

    private static void add(Map<String, List<Source>> lineage, String out, Source source) {
        addOnce(lineage.computeIfAbsent(out, k -> new ArrayList<>()), source);
    }

    private static void addOnce(List<Source> sources, Source source) {
        if (!sources.contains(source)) {
            sources.add(source);
        }
    }

    static void indirect(Expression e, String subtype, Resolver resolver, List<Source> into) {
        if (e == null) {
            return;
        }
        for (Column c : collect(e).columns) {
            resolver.resolve(c, "INDIRECT", subtype, false).forEach(src -> addOnce(into, src));
        }
    }

    /** Every output column name, known in order or (when a star was not expandable) those with lineage. */
    List<String> columnNames() {
        return columns.isEmpty() ? List.copyOf(lineage.keySet()) : Collections.unmodifiableList(columns);
    }

    private static final class Collector extends ExpressionVisitorAdapter<Void> {
        final List<Column> columns = new ArrayList<>();
        /** Columns a window function partitions or orders by: they pick the rows, no value flows from them. */
        final List<Column> window = new ArrayList<>();
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
            for (Expression arg : new Expression[] {expression.getExpression(), expression.getOffset(), expression.getDefaultValue(),
                    expression.getFilterExpression()}) {
                if (arg != null) {
                    arg.accept(this, context);
                }
            }
            Collector over = new Collector();
            if (expression.getPartitionExpressionList() != null) {
                expression.getPartitionExpressionList().forEach(p -> p.accept(over, context));
            }
            if (expression.getOrderByElements() != null) {
                expression.getOrderByElements().forEach(o -> o.getExpression().accept(over, context));
            }
            window.addAll(over.columns);
            window.addAll(over.window);
            return null;
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
