package io.waymark.agent.jdbc;

import io.waymark.sql.SqlLineage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How the agent names what a connection touches, and how it recognises a statement seen before. */
class ConnectionInfoTest {
    @Test
    void literalsAreBlankedSoRepeatedStatementsAreOne() {
        assertEquals("INSERT INTO t_2 (a, b) VALUES (?, ?)", SqlText.normalise("INSERT INTO t_2 (a, b)\n   VALUES (42, 'it''s')"));
        assertEquals(SqlText.normalise("select * from \"t 1\" where x = 3.5"), SqlText.normalise("select * from \"t 1\" where x = 7"));
    }

    @Test
    void connectionsAreNamedAsOpenLineageSays() {
        ConnectionInfo pg = ConnectionInfo.fromUrl("jdbc:postgresql://db.example.com/shop?ssl=true", null, null);
        assertEquals("postgres://db.example.com:5432", pg.namespace());
        assertEquals("shop.public.orders", pg.datasetName(new SqlLineage.TableRef(null, null, "orders")));
        assertEquals("shop.sales.orders", pg.datasetName(new SqlLineage.TableRef(null, "sales", "orders")));
        ConnectionInfo my = ConnectionInfo.fromUrl("jdbc:mysql://mysql:3307/app", "app", null);
        assertEquals("mysql://mysql:3307", my.namespace());
        assertEquals("app.users", my.datasetName(new SqlLineage.TableRef(null, null, "users")));
        ConnectionInfo lite = ConnectionInfo.fromUrl("jdbc:sqlite:/data/etl.db", null, null);
        assertEquals("sqlite:///data/etl.db", lite.namespace());
        assertEquals("orders", lite.datasetName(new SqlLineage.TableRef(null, "main", "orders")));
    }
}
