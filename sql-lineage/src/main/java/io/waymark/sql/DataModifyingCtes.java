package io.waymark.sql;

import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.ReturningClause;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.delete.ParenthesedDelete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.insert.ParenthesedInsert;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.ParenthesedUpdate;
import net.sf.jsqlparser.statement.update.Update;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * PostgreSQL's data-modifying WITH items: {@code WITH moved AS (DELETE FROM a … RETURNING *)
 * INSERT INTO b SELECT * FROM moved} writes two tables. Each such item is a write of its table, and
 * for the rest of the statement it is what its RETURNING list selects from that table, so the
 * item is replaced by that SELECT and the usual analysis follows the rows (and columns) from the
 * table into the statement's own output. JSqlParser's table finder fails on these items otherwise.
 */
final class DataModifyingCtes {
    private DataModifyingCtes() {}

    /** Rewrites the statement's data-modifying WITH items in place; returns their writes. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static List<SqlLineage.Effect> rewrite(Statement statement) throws JSQLParserException {
        List<SqlLineage.Effect> writes = new ArrayList<>();
        for (WithItem<?> item : withItems(statement)) {
            String kind;
            Table table;
            ReturningClause returning;
            // the parenthesed statements wrap the real one, which holds the table and the RETURNING list
            if (item.getParenthesedStatement() instanceof ParenthesedDelete parenthesed) {
                Delete delete = parenthesed.getDelete();
                kind = "DELETE";
                table = delete.getTable();
                returning = delete.getReturningClause();
            } else if (item.getParenthesedStatement() instanceof ParenthesedUpdate parenthesed) {
                Update update = parenthesed.getUpdate();
                kind = "UPDATE";
                table = update.getTable();
                returning = update.getReturningClause();
            } else if (item.getParenthesedStatement() instanceof ParenthesedInsert parenthesed) {
                Insert insert = parenthesed.getInsert();
                kind = "INSERT";
                table = insert.getTable();
                returning = insert.getReturningClause();
            } else {
                continue;
            }
            // Without RETURNING the item yields no rows: a SELECT of nothing from no table.
            String select = returning == null || returning.isEmpty() ? "SELECT NULL AS nothing"
                    : "SELECT " + returning.stream().map(Object::toString).collect(Collectors.joining(", ")) + " FROM " + table;
            ((WithItem) item).setParenthesedStatement(new ParenthesedSelect().withSelect((Select) CCJSqlParserUtil.parse(select)));
            writes.add(new SqlLineage.Effect(kind, Set.of(), SqlLineage.TableRef.of(table), List.of(), Map.of(), List.of()));
        }
        return writes;
    }

    private static List<WithItem<?>> withItems(Statement statement) {
        List<WithItem<?>> items = null;
        if (statement instanceof Select s) {
            items = s.getWithItemsList();
        } else if (statement instanceof Insert i) {
            items = i.getWithItemsList();
        } else if (statement instanceof Update u) {
            items = u.getWithItemsList();
        } else if (statement instanceof Delete d) {
            items = d.getWithItemsList();
        }
        return items == null ? List.of() : items;
    }
}
