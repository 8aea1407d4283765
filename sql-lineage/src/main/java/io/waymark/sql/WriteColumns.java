package io.waymark.sql;

import io.waymark.sql.SqlLineage.Source;
import io.waymark.sql.SqlLineage.TableRef;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.merge.MergeInsert;
import net.sf.jsqlparser.statement.merge.MergeOperation;
import net.sf.jsqlparser.statement.merge.MergeUpdate;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static io.waymark.sql.SqlLineage.unquote;

/**
 * Column lineage of writes that assign columns: {@code UPDATE … SET col = expr [FROM …]} and
 * MERGE's {@code WHEN MATCHED THEN UPDATE SET} and {@code WHEN NOT MATCHED THEN INSERT … VALUES}.
 * Each target column comes from the columns its expression reads, classified as in a SELECT
 * ({@link SelectColumns#addSources}); WHERE and MERGE's ON and clause conditions are INDIRECT
 * (FILTER, JOIN). The target is one of the tables an expression may read: {@code SET a = b}
 * takes the row's own {@code b}; {@code SET a = f(a)} gives {@code a} no lineage (an in-place rewrite).
 */
final class WriteColumns {
    private WriteColumns() {}

    static SelectColumns ofUpdate(Update update, Function<TableRef, List<String>> known) {
        Map<String, Object> tables = new LinkedHashMap<>();
        addTarget(update.getTable(), tables);
        Resolver.addFrom(update.getFromItem(), tables, known, Map.of());
        List<Join> joins = new ArrayList<>();
        if (update.getStartJoins() != null) {
            joins.addAll(update.getStartJoins());
        }
        if (update.getJoins() != null) {
            joins.addAll(update.getJoins());
        }
        joins.forEach(j -> Resolver.addFrom(j.getRightItem(), tables, known, Map.of()));
        Resolver resolver = new Resolver(tables, known);
        SelectColumns q = new SelectColumns(new LinkedHashMap<>(), new ArrayList<>());
        assign(q, update.getUpdateSets(), resolver, TableRef.of(update.getTable()));
        for (Join j : joins) {
            if (j.getOnExpressions() != null) {
                j.getOnExpressions().forEach(on -> SelectColumns.indirect(on, "JOIN", resolver, q.indirect()));
            }
        }
        SelectColumns.indirect(update.getWhere(), "FILTER", resolver, q.indirect());
        q.lineage().values().removeIf(List::isEmpty);
        return q;
    }

    static SelectColumns ofMerge(Merge merge, Function<TableRef, List<String>> known) {
        Map<String, Object> tables = new LinkedHashMap<>();
        addTarget(merge.getTable(), tables);
        if (merge.getUsingTable() != null) {
            Table using = merge.getUsingTable();
            String alias = merge.getUsingAlias() != null ? unquote(merge.getUsingAlias().getName())
                    : using.getAlias() != null ? unquote(using.getAlias().getName()) : unquote(using.getName());
            tables.put(alias, TableRef.of(using));
        } else {
            Resolver.addFrom(merge.getFromItem(), tables, known, Map.of());
        }
        Resolver resolver = new Resolver(tables, known);
        SelectColumns q = new SelectColumns(new LinkedHashMap<>(), new ArrayList<>());
        SelectColumns.indirect(merge.getOnCondition(), "JOIN", resolver, q.indirect());
        List<MergeOperation> operations = merge.getOperations() != null ? merge.getOperations() : List.of();
        for (MergeOperation op : operations) {
            if (op instanceof MergeUpdate u) {
                assign(q, u.getUpdateSets(), resolver, TableRef.of(merge.getTable()));
                SelectColumns.indirect(u.getAndPredicate(), "FILTER", resolver, q.indirect());
                SelectColumns.indirect(u.getWhereCondition(), "FILTER", resolver, q.indirect());
            } else if (op instanceof MergeInsert i) {
                insert(q, i, TableRef.of(merge.getTable()), resolver, known);
                SelectColumns.indirect(i.getAndPredicate(), "FILTER", resolver, q.indirect());
                SelectColumns.indirect(i.getWhereCondition(), "FILTER", resolver, q.indirect());
            }
        }
        q.lineage().values().removeIf(List::isEmpty);
        return q;
    }

    private static void addTarget(Table target, Map<String, Object> tables) {
        String key = target.getAlias() != null ? unquote(target.getAlias().getName()) : unquote(target.getName());
        tables.put(key, TableRef.of(target));
    }

    private static void assign(SelectColumns q, List<UpdateSet> sets, Resolver resolver, TableRef target) {
        if (sets == null) {
            return;
        }
        for (UpdateSet set : sets) {
            // SET (a, b) = (x, y) pairs by position; SET (a, b) = (SELECT …) is not followed.
            int n = Math.min(set.getColumns().size(), set.getValues().size());
            for (int k = 0; k < n; k++) {
                Object value = set.getValues().get(k);
                if (value instanceof Expression e) {
                    String column = unquote(set.getColumns().get(k).getColumnName());
                    SelectColumns.addSources(q.lineage(), column, e, resolver);
                    // SET a = f(a) rewrites a column in place: a column deriving from itself would be a
                    // loop in the lineage graph that says nothing about where the data came from.
                    q.lineage().get(column).removeIf(src -> src.table().sameTable(target) && src.column().equalsIgnoreCase(column));
                }
            }
        }
    }

    private static void insert(SelectColumns q, MergeInsert i, TableRef target, Resolver resolver, Function<TableRef, List<String>> known) {
        if (i.getValues() == null) {
            return;
        }
        List<String> columns = new ArrayList<>();
        if (i.getColumns() != null && !i.getColumns().isEmpty()) {
            for (Column c : i.getColumns()) {
                columns.add(unquote(c.getColumnName()));
            }
        } else if (known.apply(target) != null) {
            columns.addAll(known.apply(target));
        }
        int n = Math.min(columns.size(), i.getValues().size());
        for (int k = 0; k < n; k++) {
            SelectColumns.addSources(q.lineage(), columns.get(k), i.getValues().get(k), resolver);
        }
    }
}
