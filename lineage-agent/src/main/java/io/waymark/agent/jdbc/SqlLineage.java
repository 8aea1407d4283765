package io.waymark.agent.jdbc;

import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.create.table.ColumnDefinition;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.view.CreateView;
import net.sf.jsqlparser.statement.truncate.Truncate;
import net.sf.jsqlparser.statement.upsert.Upsert;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
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
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.util.TablesNamesFinder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What one SQL statement reads and writes, and for INSERT … SELECT and CREATE TABLE … AS SELECT
 * which output column comes from which input columns, and how (OpenLineage column lineage):
 * a plain column is DIRECT/IDENTITY, an aggregate DIRECT/AGGREGATION, a hash function
 * DIRECT/TRANSFORMATION with masking, any other expression DIRECT/TRANSFORMATION; columns in
 * WHERE, JOIN, GROUP BY, HAVING and ORDER BY are INDIRECT dependencies of the whole output.
 * Pure: the result depends on the SQL text and on the table columns the caller already knows.
 */
public final class SqlLineage {
    private static final Set<String> AGGREGATES = Set.of("count", "sum", "avg", "min", "max", "stddev", "stddev_pop", "stddev_samp",
            "variance", "var_pop", "var_samp", "group_concat", "string_agg", "array_agg", "listagg", "median", "percentile_cont",
            "percentile_disc", "approx_count_distinct", "collect_list", "collect_set", "bool_and", "bool_or", "every", "total");
    private static final Set<String> HASHES = Set.of("md5", "sha", "sha1", "sha2", "sha224", "sha256", "sha384", "sha512", "hash",
            "hashbytes", "standard_hash", "digest", "hmac", "crc32", "xxhash64", "murmur3", "farm_fingerprint", "fnv_hash",
            "sha256_hex", "md5_hex", "sha1_hex", "sha2_hex");

    /** A table as the SQL names it (unquoted parts; catalog and schema may be null). */
    public record TableRef(String catalog, String schema, String table) {
        static TableRef of(Table t) {
            return new TableRef(unquote(t.getDatabaseName()), unquote(t.getSchemaName()), unquote(t.getName()));
        }

        static TableRef parse(String dotted) {
            List<String> parts = splitName(dotted);
            int n = parts.size();
            return new TableRef(n >= 3 ? parts.get(n - 3) : null, n >= 2 ? parts.get(n - 2) : null, parts.get(n - 1));
        }

        boolean sameTable(TableRef o) {
            return table.equalsIgnoreCase(o.table) && (schema == null || o.schema == null || schema.equalsIgnoreCase(o.schema));
        }
    }

    public record ColumnDef(String name, String type) {}

    /** An input column an output column depends on. */
    public record Source(TableRef table, String column, String type, String subtype, boolean masking) {}

    /**
     * @param outputColumns for a CREATE TABLE, the columns it defines (empty otherwise)
     * @param columnLineage output column → where it comes from (empty when not derivable)
     * @param indirect      dataset-wide INDIRECT dependencies (FILTER, JOIN, GROUP_BY, SORT)
     */
    public record Effect(String kind, Set<TableRef> inputs, TableRef output, List<ColumnDef> outputColumns,
                         Map<String, List<Source>> columnLineage, List<Source> indirect) {
        static Effect none(String kind) {
            return new Effect(kind, Set.of(), null, List.of(), Map.of(), List.of());
        }

        public boolean isEmpty() {
            return inputs.isEmpty() && output == null;
        }
    }

    private SqlLineage() {}

    /**
     * Analyses one statement. {@code knownColumns} gives a table's columns when the SQL does not
     * (an INSERT without a column list, a {@code *}); it may return null.
     *
     * @throws JSQLParserException when the SQL is not understood
     */
    public static Effect analyse(String sql, java.util.function.Function<TableRef, List<String>> knownColumns) throws JSQLParserException {
        Statement statement = CCJSqlParserUtil.parse(sql, parser -> parser.withTimeOut(2000));
        if (statement instanceof Select select) {
            if (select instanceof PlainSelect ps && ps.getIntoTables() != null && !ps.getIntoTables().isEmpty()) {
                // SELECT … INTO new_table (SQL Server, PostgreSQL): a CREATE TABLE AS in other words.
                TableRef output = TableRef.of(ps.getIntoTables().get(0));
                Set<TableRef> inputs = inputs(statement, output, select.getWithItemsList());
                Query q = query(select, List.of(), inputs, knownColumns);
                List<ColumnDef> defs = new ArrayList<>();
                q.lineage.keySet().forEach(c -> defs.add(new ColumnDef(c, null)));
                return new Effect("SELECT_INTO", inputs, output, defs, q.lineage, q.indirect);
            }
            return new Effect("SELECT", inputs(statement, null, select.getWithItemsList()), null, List.of(), Map.of(), List.of());
        }
        if (statement instanceof Upsert upsert) {
            // MySQL REPLACE INTO / UPSERT: an INSERT that may overwrite.
            return insertLike("UPSERT", statement, TableRef.of(upsert.getTable()), upsert.getColumns(), upsert.getSelect(), null, knownColumns);
        }
        if (statement instanceof CreateView view) {
            TableRef output = TableRef.of(view.getView());
            List<String> names = new ArrayList<>();
            if (view.getColumnNames() != null) {
                view.getColumnNames().forEach(c -> names.add(unquote(c.getColumnName())));
            }
            Set<TableRef> inputs = inputs(statement, output, view.getSelect().getWithItemsList());
            Query q = query(view.getSelect(), names, inputs, knownColumns);
            List<ColumnDef> defs = new ArrayList<>();
            q.lineage.keySet().forEach(c -> defs.add(new ColumnDef(c, null)));
            return new Effect("CREATE_VIEW", inputs, output, defs, q.lineage, q.indirect);
        }
        if (statement instanceof Truncate truncate) {
            return new Effect("TRUNCATE", Set.of(), TableRef.of(truncate.getTable()), List.of(), Map.of(), List.of());
        }
        if (statement instanceof Insert insert) {
            return insertLike("INSERT", statement, TableRef.of(insert.getTable()), insert.getColumns(), insert.getSelect(),
                    insert.getWithItemsList(), knownColumns);
        }
        return other(statement, knownColumns);
    }

    private static Effect insertLike(String kind, Statement statement, TableRef output,
                                     net.sf.jsqlparser.expression.operators.relational.ExpressionList<Column> columns, Select source,
                                     List<WithItem<?>> with, java.util.function.Function<TableRef, List<String>> knownColumns) {
        {
            if (source == null || source instanceof Values) {
                return new Effect(kind, Set.of(), output, List.of(), Map.of(), List.of());
            }
            List<String> targetColumns = new ArrayList<>();
            if (columns != null && !columns.isEmpty()) {
                columns.forEach(c -> targetColumns.add(unquote(c.getColumnName())));
            } else if (knownColumns.apply(output) != null) {
                targetColumns.addAll(knownColumns.apply(output));
            }
            Set<TableRef> inputs = inputs(statement, output, withItems(with, source.getWithItemsList()));
            if (targetColumns.isEmpty()) {
                // INSERT without a column list fills the table's columns by position; unknown here, so no guessing by name.
                return new Effect(kind, inputs, output, List.of(), Map.of(), List.of());
            }
            Query q = query(source, targetColumns, inputs, knownColumns);
            return new Effect(kind, inputs, output, List.of(), q.lineage, q.indirect);
        }
    }

    private static Effect other(Statement statement, java.util.function.Function<TableRef, List<String>> knownColumns) {
        if (statement instanceof CreateTable create) {
            TableRef output = TableRef.of(create.getTable());
            List<ColumnDef> defs = new ArrayList<>();
            if (create.getColumnDefinitions() != null) {
                for (ColumnDefinition d : create.getColumnDefinitions()) {
                    defs.add(new ColumnDef(unquote(d.getColumnName()),
                            d.getColDataType() == null ? null : d.getColDataType().toString().replaceAll("\\s+\\(", "(")));
                }
            }
            if (create.getSelect() == null) {
                return new Effect("CREATE", Set.of(), output, defs, Map.of(), List.of());
            }
            Set<TableRef> inputs = inputs(statement, output, create.getSelect().getWithItemsList());
            List<String> names = defs.stream().map(ColumnDef::name).toList();
            Query q = query(create.getSelect(), names, inputs, knownColumns);
            if (defs.isEmpty()) {
                q.lineage.keySet().forEach(c -> defs.add(new ColumnDef(c, null)));
            }
            return new Effect("CREATE_TABLE_AS", inputs, output, defs, q.lineage, q.indirect);
        }
        if (statement instanceof Merge merge) {
            TableRef output = TableRef.of(merge.getTable());
            return new Effect("MERGE", inputs(statement, output, merge.getWithItemsList()), output, List.of(), Map.of(), List.of());
        }
        if (statement instanceof Update update) {
            TableRef output = TableRef.of(update.getTable());
            return new Effect("UPDATE", inputs(statement, output, update.getWithItemsList()), output, List.of(), Map.of(), List.of());
        }
        if (statement instanceof Delete delete) {
            Table target = delete.getTable() != null ? delete.getTable()
                    : delete.getTables() != null && !delete.getTables().isEmpty() ? delete.getTables().get(0) : null;
            TableRef output = target == null ? null : TableRef.of(target);
            return new Effect("DELETE", inputs(statement, output, delete.getWithItemsList()), output, List.of(), Map.of(), List.of());
        }
        return Effect.none(statement.getClass().getSimpleName().toUpperCase(Locale.ROOT));
    }

    private static List<WithItem<?>> withItems(List<WithItem<?>> a, List<WithItem<?>> b) {
        List<WithItem<?>> all = new ArrayList<>();
        if (a != null) {
            all.addAll(a);
        }
        if (b != null) {
            all.addAll(b);
        }
        return all;
    }

    /** Every table the statement names, but the one it writes and its common table expressions. */
    private static Set<TableRef> inputs(Statement statement, TableRef output, List<WithItem<?>> with) {
        Set<String> cte = new LinkedHashSet<>();
        if (with != null) {
            with.forEach(w -> cte.add(unquote(w.getAliasName()).toLowerCase(Locale.ROOT)));
        }
        Set<TableRef> inputs = new LinkedHashSet<>();
        for (String name : new TablesNamesFinder<Void>().getTables(statement)) {
            TableRef t = TableRef.parse(name);
            if ((t.schema() == null && cte.contains(t.table().toLowerCase(Locale.ROOT))) || (output != null && t.sameTable(output))
                    || t.table().equalsIgnoreCase("dual")) {
                continue;
            }
            inputs.add(t);
        }
        return inputs;
    }

    private static final class Query {
        final Map<String, List<Source>> lineage = new LinkedHashMap<>();
        final List<Source> indirect = new ArrayList<>();
    }

    /** Column lineage of a query feeding {@code targetColumns} (positional; empty: the query's own names). */
    private static Query query(Select select, List<String> targetColumns, Set<TableRef> inputs, java.util.function.Function<TableRef, List<String>> known) {
        Query q = new Query();
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
            Resolver resolver = new Resolver(aliases, inputs, known);
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
                                add(q.lineage, out, new Source(from.getValue(), c, "DIRECT", "IDENTITY", false));
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
                Collector found = collect(e);
                String subtype = e instanceof Column ? "IDENTITY" : found.aggregate ? "AGGREGATION" : "TRANSFORMATION";
                for (Column c : found.columns) {
                    TableRef table = resolver.table(c);
                    if (table != null) {
                        add(q.lineage, out, new Source(table, unquote(c.getColumnName()), "DIRECT", subtype, found.hash));
                    }
                }
                q.lineage.putIfAbsent(out, new ArrayList<>());
            }
            indirect(ps.getWhere(), "FILTER", resolver, q.indirect);
            indirect(ps.getHaving(), "FILTER", resolver, q.indirect);
            if (ps.getJoins() != null) {
                for (Join j : ps.getJoins()) {
                    if (j.getOnExpressions() != null) {
                        j.getOnExpressions().forEach(on -> indirect(on, "JOIN", resolver, q.indirect));
                    }
                    if (j.getUsingColumns() != null) {
                        j.getUsingColumns().forEach(c -> indirect(c, "JOIN", resolver, q.indirect));
                    }
                }
            }
            if (ps.getGroupBy() != null && ps.getGroupBy().getGroupByExpressionList() != null) {
                for (Object g : ps.getGroupBy().getGroupByExpressionList()) {
                    indirect((Expression) g, "GROUP_BY", resolver, q.indirect);
                }
            }
            if (ps.getOrderByElements() != null) {
                for (OrderByElement o : ps.getOrderByElements()) {
                    indirect(o.getExpression(), "SORT", resolver, q.indirect);
                }
            }
        }
        // Output columns with no resolvable source carry no lineage.
        q.lineage.values().removeIf(List::isEmpty);
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

    private static void add(Map<String, List<Source>> lineage, String out, Source source) {
        List<Source> sources = lineage.computeIfAbsent(out, k -> new ArrayList<>());
        if (!sources.contains(source)) {
            sources.add(source);
        }
    }

    private static void indirect(Expression e, String subtype, Resolver resolver, List<Source> into) {
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

    private static void addFrom(FromItem item, Map<String, TableRef> aliases) {
        if (item instanceof Table t) {
            String key = t.getAlias() != null ? unquote(t.getAlias().getName()) : unquote(t.getName());
            aliases.put(key, TableRef.of(t));
        }
    }

    /** Which table a column reference belongs to. */
    private record Resolver(Map<String, TableRef> aliases, Set<TableRef> inputs, java.util.function.Function<TableRef, List<String>> known) {
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

    static String unquote(String s) {
        if (s == null) {
            return null;
        }
        if (s.length() >= 2) {
            char a = s.charAt(0);
            char b = s.charAt(s.length() - 1);
            if ((a == '"' && b == '"') || (a == '`' && b == '`') || (a == '[' && b == ']')) {
                return s.substring(1, s.length() - 1);
            }
        }
        return s;
    }

    static List<String> splitName(String dotted) {
        List<String> parts = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        char quote = 0;
        for (char ch : dotted.toCharArray()) {
            if (quote != 0) {
                sb.append(ch);
                if (ch == quote) {
                    quote = 0;
                }
            } else if (ch == '"' || ch == '`') {
                quote = ch;
                sb.append(ch);
            } else if (ch == '[') {
                quote = ']';
                sb.append(ch);
            } else if (ch == '.') {
                parts.add(unquote(sb.toString()));
                sb.setLength(0);
            } else {
                sb.append(ch);
            }
        }
        parts.add(unquote(sb.toString()));
        return parts;
    }
}
