package io.waymark.sql;

import net.sf.jsqlparser.JSQLParserException;
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
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.util.TablesNamesFinder;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What one SQL statement reads and writes, and for writes fed by a query (INSERT … SELECT, CTAS,
 * SELECT … INTO, views) or by assignments (UPDATE, MERGE) which output column comes from which
 * input columns ({@link SelectColumns}, {@link WriteColumns}).
 * Pure: the result depends on the SQL text and on the table columns the caller already knows.
 */
public final class SqlLineage {
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
        return analyseAll(sql, knownColumns).get(0);
    }

    /**
     * As {@link #analyse}, with the statement's further writes after its main effect: a statement
     * with data-modifying WITH items writes their tables too ({@link DataModifyingCtes}).
     */
    public static List<Effect> analyseAll(String sql, java.util.function.Function<TableRef, List<String>> knownColumns) throws JSQLParserException {
        if (CopyStatement.matches(sql)) {
            return List.of(CopyStatement.analyse(sql, knownColumns));
        }
        Statement statement = CCJSqlParserUtil.parse(sql, parser -> parser.withTimeOut(2000));
        List<Effect> writes = DataModifyingCtes.rewrite(statement);
        List<Effect> all = new ArrayList<>();
        all.add(analyse(statement, knownColumns));
        all.addAll(writes);
        return all;
    }

    private static Effect analyse(Statement statement, java.util.function.Function<TableRef, List<String>> knownColumns) {
        if (statement instanceof Select select) {
            if (select instanceof PlainSelect ps && ps.getIntoTables() != null && !ps.getIntoTables().isEmpty()) {
                // SELECT … INTO new_table (SQL Server, PostgreSQL): a CREATE TABLE AS in other words.
                TableRef output = TableRef.of(ps.getIntoTables().get(0));
                Set<TableRef> inputs = inputs(statement, output, select.getWithItemsList());
                return fromQuery("SELECT_INTO", inputs, output, List.of(), SelectColumns.of(select, List.of(), knownColumns));
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
            return fromQuery("CREATE_VIEW", inputs, output, List.of(), SelectColumns.of(view.getSelect(), names, knownColumns));
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
        if (source == null || source instanceof Values) {
            return new Effect(kind, Set.of(), output, List.of(), Map.of(), List.of());
        }
        List<String> targetColumns = new ArrayList<>();
        if (columns != null && !columns.isEmpty()) {
            columns.forEach(c -> targetColumns.add(unquote(c.getColumnName())));
        } else {
            List<String> known = knownColumns.apply(output);
            if (known != null) {
                targetColumns.addAll(known);
            }
        }
        Set<TableRef> inputs = inputs(statement, output, withItems(with, source.getWithItemsList()));
        if (targetColumns.isEmpty()) {
            // INSERT without a column list fills the table's columns by position; unknown here, so no guessing by name.
            return new Effect(kind, inputs, output, List.of(), Map.of(), List.of());
        }
        SelectColumns q = SelectColumns.of(source, targetColumns, knownColumns, with, Map.of());
        return new Effect(kind, inputs, output, List.of(), q.lineage(), q.indirect());
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
            if (create.getLikeTable() != null && defs.isEmpty()) {
                // CREATE TABLE t LIKE s: s's columns (as far as they are known), no rows, so no input.
                List<String> like = knownColumns.apply(TableRef.of(create.getLikeTable()));
                if (like != null) {
                    like.forEach(c -> defs.add(new ColumnDef(c, null)));
                }
            }
            if (create.getSelect() == null) {
                return new Effect("CREATE", Set.of(), output, defs, Map.of(), List.of());
            }
            Set<TableRef> inputs = inputs(statement, output, create.getSelect().getWithItemsList());
            List<String> names = defs.stream().map(ColumnDef::name).toList();
            return fromQuery("CREATE_TABLE_AS", inputs, output, defs, SelectColumns.of(create.getSelect(), names, knownColumns));
        }
        if (statement instanceof Merge merge) {
            TableRef output = TableRef.of(merge.getTable());
            SelectColumns q = WriteColumns.ofMerge(merge, knownColumns);
            return new Effect("MERGE", inputs(statement, output, merge.getWithItemsList()), output, List.of(), q.lineage(), q.indirect());
        }
        if (statement instanceof Update update) {
            TableRef output = TableRef.of(update.getTable());
            SelectColumns q = WriteColumns.ofUpdate(update, knownColumns);
            return new Effect("UPDATE", inputs(statement, output, update.getWithItemsList()), output, List.of(), q.lineage(), q.indirect());
        }
        if (statement instanceof Delete delete) {
            Table target = delete.getTable() != null ? delete.getTable()
                    : delete.getTables() != null && !delete.getTables().isEmpty() ? delete.getTables().get(0) : null;
            TableRef output = target == null ? null : TableRef.of(target);
            return new Effect("DELETE", inputs(statement, output, delete.getWithItemsList()), output, List.of(), Map.of(), List.of());
        }
        return Effect.none(statement.getClass().getSimpleName().toUpperCase(Locale.ROOT));
    }

    /**
     * A write whose rows come from a query (CTAS, SELECT … INTO, a view): its columns are the ones
     * declared, else the query's output columns that have lineage.
     */
    private static Effect fromQuery(String kind, Set<TableRef> inputs, TableRef output, List<ColumnDef> declared, SelectColumns q) {
        List<ColumnDef> defs = new ArrayList<>(declared);
        if (defs.isEmpty()) {
            q.lineage().keySet().forEach(c -> defs.add(new ColumnDef(c, null)));
        }
        return new Effect(kind, inputs, output, defs, q.lineage(), q.indirect());
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
