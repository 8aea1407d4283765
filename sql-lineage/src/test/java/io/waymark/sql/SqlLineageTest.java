package io.waymark.sql;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlLineageTest {
    private static final Map<String, List<String>> KNOWN = Map.of("orders", List.of("id", "customer_id", "amount"),
            "customers", List.of("id", "email"), "target", List.of("a", "b"));

    private static SqlLineage.Effect analyse(String sql) throws Exception {
        return SqlLineage.analyse(sql, t -> KNOWN.get(t.table()));
    }

    private static List<String> tables(java.util.Collection<SqlLineage.TableRef> refs) {
        return refs.stream().map(t -> (t.schema() == null ? "" : t.schema() + ".") + t.table()).sorted().toList();
    }

    private static Map<String, String> lineage(SqlLineage.Effect e) {
        return e.columnLineage().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, x -> x.getValue().stream()
                .map(s -> s.table().table() + "." + s.column() + ":" + s.subtype() + (s.masking() ? "+masking" : ""))
                .sorted().collect(Collectors.joining(","))));
    }

    @Test
    void selectReadsEveryTableButItsCommonTableExpressions() throws Exception {
        SqlLineage.Effect e = analyse("WITH recent AS (SELECT * FROM sales.orders WHERE amount > 1) "
                + "SELECT c.email FROM recent r JOIN customers c ON c.id = r.customer_id");
        assertEquals(List.of("customers", "sales.orders"), tables(e.inputs()));
        assertNull(e.output());
    }

    @Test
    void insertValuesWritesOnly() throws Exception {
        SqlLineage.Effect e = analyse("INSERT INTO \"public\".\"events\" (id, note) VALUES (?, ?)");
        assertEquals("public.events", tables(List.of(e.output())).get(0));
        assertTrue(e.inputs().isEmpty());
    }

    @Test
    void insertSelectGivesColumnLineageWithTransformationsAndIndirectDependencies() throws Exception {
        SqlLineage.Effect e = analyse("""
                INSERT INTO totals (customer_id, email_hash, n, total, label)
                SELECT c.id, md5(lower(c.email)), count(o.id), sum(o.amount * 1.2), 'x' || c.email
                FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
                WHERE o.amount > 0 GROUP BY c.id, c.email ORDER BY total""");
        assertEquals(List.of("customers", "orders"), tables(e.inputs()));
        Map<String, String> l = lineage(e);
        assertEquals("customers.id:IDENTITY", l.get("customer_id"));
        assertEquals("customers.email:TRANSFORMATION+masking", l.get("email_hash"));
        assertEquals("orders.id:AGGREGATION", l.get("n"));
        assertEquals("orders.amount:AGGREGATION", l.get("total"));
        assertEquals("customers.email:TRANSFORMATION", l.get("label"));
        List<String> indirect = e.indirect().stream().map(s -> s.subtype() + ":" + s.table().table() + "." + s.column()).sorted().toList();
        assertTrue(indirect.containsAll(List.of("FILTER:orders.amount", "JOIN:customers.id", "JOIN:orders.customer_id",
                "GROUP_BY:customers.id", "GROUP_BY:customers.email")), indirect.toString());
    }

    @Test
    void insertWithoutColumnListUsesTheTargetsKnownColumns() throws Exception {
        Map<String, String> l = lineage(analyse("INSERT INTO target SELECT id, email FROM customers"));
        assertEquals(Map.of("a", "customers.id:IDENTITY", "b", "customers.email:IDENTITY"), l);
        // Unknown target columns: no guessing.
        assertTrue(lineage(analyse("INSERT INTO unknown_table SELECT id FROM customers")).isEmpty());
    }

    @Test
    void createTableAsSelectDefinesItsColumnsAndExpandsStarFromKnownColumns() throws Exception {
        SqlLineage.Effect e = analyse("CREATE TABLE copy AS SELECT * FROM orders");
        assertEquals("copy", e.output().table());
        assertEquals(List.of("id", "customer_id", "amount"), e.outputColumns().stream().map(SqlLineage.ColumnDef::name).toList());
        assertEquals("orders.amount:IDENTITY", lineage(e).get("amount"));
        SqlLineage.Effect u = analyse("CREATE TABLE u AS SELECT id AS k FROM orders UNION ALL SELECT id FROM customers");
        assertEquals("customers.id:IDENTITY,orders.id:IDENTITY", lineage(u).get("k"));
    }

    @Test
    void createTableDefinesTheSchema() throws Exception {
        SqlLineage.Effect e = analyse("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, email VARCHAR(200) NOT NULL)");
        assertEquals(List.of(new SqlLineage.ColumnDef("id", "INTEGER"), new SqlLineage.ColumnDef("email", "VARCHAR(200)")), e.outputColumns());
    }

    @Test
    void mergeUpdateAndDeleteWriteTheirTargetAndReadTheRest() throws Exception {
        SqlLineage.Effect merge = analyse("MERGE INTO dim_customer d USING staging.customers s ON d.id = s.id "
                + "WHEN MATCHED THEN UPDATE SET email = s.email WHEN NOT MATCHED THEN INSERT (id, email) VALUES (s.id, s.email)");
        assertEquals("dim_customer", merge.output().table());
        assertEquals(List.of("staging.customers"), tables(merge.inputs()));
        SqlLineage.Effect update = analyse("UPDATE orders SET amount = p.amount FROM prices p WHERE p.id = orders.id");
        assertEquals("orders", update.output().table());
        assertEquals(List.of("prices"), tables(update.inputs()));
        SqlLineage.Effect delete = analyse("DELETE FROM orders WHERE customer_id IN (SELECT id FROM blocked_customers)");
        assertEquals("orders", delete.output().table());
        assertEquals(List.of("blocked_customers"), tables(delete.inputs()));
    }

    @Test
    void columnsAreFollowedThroughSubQueriesInFromAndCommonTableExpressions() throws Exception {
        SqlLineage.Effect e = analyse("""
                WITH paid AS (SELECT customer_id AS cid, amount * 100 AS cents FROM orders WHERE amount > 0)
                INSERT INTO totals (customer, email, total)
                SELECT p.cid, x.mail, sum(p.cents)
                FROM paid p JOIN (SELECT id, md5(email) AS mail FROM customers) x ON x.id = p.cid
                GROUP BY p.cid, x.mail""");
        assertEquals(List.of("customers", "orders"), tables(e.inputs()));
        Map<String, String> l = lineage(e);
        assertEquals("orders.customer_id:IDENTITY", l.get("customer"));
        assertEquals("customers.email:TRANSFORMATION+masking", l.get("email"));
        assertEquals("orders.amount:AGGREGATION", l.get("total"));
        List<String> indirect = e.indirect().stream().map(s -> s.table().table() + "." + s.column() + ":" + s.subtype()).sorted().toList();
        // The sub-query's filter and the outer join and grouping, all on the real tables' columns.
        assertTrue(indirect.containsAll(List.of("orders.amount:FILTER", "customers.id:JOIN", "orders.customer_id:JOIN",
                "orders.customer_id:GROUP_BY", "customers.email:GROUP_BY")), indirect.toString());
        assertTrue(e.columnLineage().values().stream().flatMap(List::stream).noneMatch(s -> s.table().table().equals("paid")),
                "no lineage names the CTE as if it were a table");
        // SELECT * over a sub-query expands to its columns.
        Map<String, String> star = lineage(analyse("CREATE TABLE t2 AS SELECT * FROM (SELECT id AS order_id, amount FROM orders) o"));
        assertEquals("orders.id:IDENTITY", star.get("order_id"));
        assertEquals("orders.amount:IDENTITY", star.get("amount"));
    }

    @Test
    void aRecursiveCommonTableExpressionTakesItsLineageFromItsAnchor() throws Exception {
        SqlLineage.Effect e = analyse("""
                WITH RECURSIVE tree AS (SELECT id, customer_id AS parent FROM orders
                                        UNION ALL SELECT o.id, t.parent FROM orders o JOIN tree t ON o.customer_id = t.id)
                INSERT INTO flat (id, root) SELECT id, parent FROM tree""");
        assertEquals(List.of("orders"), tables(e.inputs()));
        Map<String, String> l = lineage(e);
        assertEquals("orders.id:IDENTITY", l.get("id"));
        assertEquals("orders.customer_id:IDENTITY", l.get("root"));
        assertTrue(e.columnLineage().values().stream().flatMap(List::stream).noneMatch(s -> s.table().table().equals("tree")));
    }

    @Test
    void windowPartitionsAndOrderingAreIndirectDependenciesOfTheirColumn() throws Exception {
        Map<String, String> l = lineage(analyse("""
                INSERT INTO ranked (customer_id, rn, running, previous)
                SELECT customer_id, row_number() OVER (PARTITION BY customer_id ORDER BY amount DESC),
                       sum(amount) OVER (PARTITION BY customer_id), lag(amount, 1) OVER (ORDER BY id)
                FROM orders"""));
        assertEquals("orders.customer_id:IDENTITY", l.get("customer_id"));
        assertEquals("orders.amount:WINDOW,orders.customer_id:WINDOW", l.get("rn"));
        assertEquals("orders.amount:AGGREGATION,orders.customer_id:WINDOW", l.get("running"));
        assertEquals("orders.amount:TRANSFORMATION,orders.id:WINDOW", l.get("previous"));
        SqlLineage.Effect e = analyse("INSERT INTO ranked (rn) SELECT rank() OVER (ORDER BY amount) FROM orders");
        assertEquals("INDIRECT", e.columnLineage().get("rn").get(0).type(), "a window's ordering feeds no value into the column");
    }

    @Test
    void createTableLikeCopiesTheKnownSchemaAndReadsNoData() throws Exception {
        SqlLineage.Effect e = analyse("CREATE TABLE orders_copy LIKE orders");
        assertEquals("orders_copy", e.output().table());
        assertTrue(e.inputs().isEmpty(), "a schema copy moves no rows");
        assertEquals(List.of("id", "customer_id", "amount"), e.outputColumns().stream().map(SqlLineage.ColumnDef::name).toList());
        assertTrue(e.columnLineage().isEmpty());
    }

    @Test
    void updateSetGivesColumnLineageFromTheAssignedExpressions() throws Exception {
        SqlLineage.Effect e = analyse("""
                UPDATE orders SET amount = p.amount * 1.2, customer_id = c.id, id = sha256(p.sku)
                FROM prices p JOIN customers c ON c.email = p.buyer WHERE p.id = orders.id AND p.valid""");
        Map<String, String> l = lineage(e);
        assertEquals("prices.amount:TRANSFORMATION", l.get("amount"));
        assertEquals("customers.id:IDENTITY", l.get("customer_id"));
        assertEquals("prices.sku:TRANSFORMATION+masking", l.get("id"));
        List<String> indirect = e.indirect().stream().map(s -> s.table().table() + "." + s.column() + ":" + s.subtype()).sorted().toList();
        assertEquals(List.of("customers.email:JOIN", "orders.id:FILTER", "prices.buyer:JOIN", "prices.id:FILTER", "prices.valid:FILTER"), indirect);
        // A column set from another column of the row derives from it; one rewritten in place derives from nothing.
        assertEquals("orders.customer_id:IDENTITY", lineage(analyse("UPDATE orders SET amount = customer_id")).get("amount"));
        assertTrue(analyse("UPDATE orders SET amount = round(amount, 2)").columnLineage().isEmpty());
    }

    @Test
    void mergeGivesColumnLineageFromItsUpdateAndInsertClauses() throws Exception {
        SqlLineage.Effect e = analyse("""
                MERGE INTO target t USING staging.customers s ON t.a = s.id
                WHEN MATCHED THEN UPDATE SET b = upper(s.email)
                WHEN NOT MATCHED THEN INSERT (a, b) VALUES (s.id, md5(s.email))""");
        Map<String, String> l = lineage(e);
        assertEquals("customers.id:IDENTITY", l.get("a"));
        assertEquals("customers.email:TRANSFORMATION,customers.email:TRANSFORMATION+masking", l.get("b"));
        assertTrue(e.indirect().stream().anyMatch(s -> s.table().table().equals("customers") && s.column().equals("id") && s.subtype().equals("JOIN")));
        // INSERT without a column list fills the target's known columns by position.
        Map<String, String> positional = lineage(analyse("MERGE INTO target t USING orders o ON t.a = o.id "
                + "WHEN NOT MATCHED THEN INSERT VALUES (o.id, o.amount)"));
        assertEquals("orders.id:IDENTITY", positional.get("a"));
        assertEquals("orders.amount:IDENTITY", positional.get("b"));
    }

    @Test
    void viewsSelectIntoReplaceAndTruncateAreWritesToo() throws Exception {
        SqlLineage.Effect view = analyse("CREATE VIEW paying AS SELECT id AS customer, email FROM customers WHERE id > 10");
        assertEquals("paying", view.output().table());
        assertEquals("customers.id:IDENTITY", lineage(view).get("customer"));
        SqlLineage.Effect into = analyse("SELECT id, amount INTO archive FROM orders");
        assertEquals("archive", into.output().table());
        assertEquals("orders.amount:IDENTITY", lineage(into).get("amount"));
        SqlLineage.Effect replace = analyse("REPLACE INTO target (a, b) SELECT id, email FROM customers");
        assertEquals("customers.email:IDENTITY", lineage(replace).get("b"));
        assertEquals("orders", analyse("TRUNCATE TABLE orders").output().table());
    }

    @Test
    void copyWritesOrReadsItsTableOrReadsWhatItsQueryReads() throws Exception {
        SqlLineage.Effect in = analyse("COPY sales.orders (id, amount) FROM ? WITH (FORMAT csv)");
        assertEquals("sales.orders", tables(List.of(in.output())).get(0));
        assertTrue(in.inputs().isEmpty(), "the file is not a table");
        SqlLineage.Effect out = analyse("copy \"Customers\" to stdout");
        assertNull(out.output());
        assertEquals(List.of("Customers"), tables(out.inputs()));
        SqlLineage.Effect query = analyse("COPY (SELECT c.email FROM customers c JOIN orders o ON o.customer_id = c.id) TO ?");
        assertEquals(List.of("customers", "orders"), tables(query.inputs()));
        assertThrows(net.sf.jsqlparser.JSQLParserException.class, () -> analyse("COPY nonsense"));
    }

    @Test
    void aDataModifyingWithItemIsAWriteAndFeedsTheStatementWithItsReturnedRows() throws Exception {
        List<SqlLineage.Effect> effects = SqlLineage.analyseAll(
                "WITH moved AS (DELETE FROM orders WHERE amount < 0 RETURNING id, amount * 2 AS doubled) INSERT INTO target SELECT id, doubled FROM moved",
                t -> KNOWN.get(t.table()));
        SqlLineage.Effect insert = effects.get(0);
        assertEquals("target", insert.output().table());
        assertEquals(List.of("orders"), tables(insert.inputs()), "the deleted rows flow into the insert; the CTE is not a table");
        assertEquals(Map.of("a", "orders.id:IDENTITY", "b", "orders.amount:TRANSFORMATION"), lineage(insert));
        assertEquals(2, effects.size());
        assertEquals("DELETE", effects.get(1).kind());
        assertEquals("orders", effects.get(1).output().table());
    }

    @Test
    void sqlItCannotParseIsAnError() {
        assertThrows(Exception.class, () -> analyse("THIS IS NOT SQL"));
    }
}
