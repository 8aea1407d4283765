package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static io.waymark.catalog.TestServer.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Discovery of a real SQLite database: connection test, a scan that reads tables, views, keys and
 * comments and classifies sampled values, datasets named the OpenLineage way, schema changes on a
 * rescan, and no sampled value or password anywhere in the data directory.
 */
class DiscoveryTest {
    private static final TestServer server = TestServer.get();
    private static final Random RANDOM = new Random(20261203);
    private static final List<String> SAMPLED = new ArrayList<>();
    private static final String PASSWORD = "hunter2-" + Long.toHexString(RANDOM.nextLong());
    private static Path db;
    private static String name;

    @BeforeAll
    static void aDatabase() throws Exception {
        db = Files.createTempDirectory("waymark-discovery").resolve("shop.db");
        name = "shop-" + Long.toHexString(RANDOM.nextLong()).substring(0, 6);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, card TEXT, fiscal_year INTEGER, note TEXT)");
            s.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), amount REAL)");
            s.execute("CREATE VIEW big_orders AS SELECT id, amount FROM orders WHERE amount > 100");
            s.execute("CREATE VIEW customer_contacts AS SELECT c.id AS customer, lower(c.email) AS contact FROM customers c WHERE c.note <> 'x'");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO customers (email, card, fiscal_year, note) VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < 40; i++) {
                    String email = "zq" + Long.toHexString(RANDOM.nextLong()) + "@example.org";
                    String card = luhn("4" + String.format("%014d", Math.abs(RANDOM.nextLong()) % 100_000_000_000_000L));
                    SAMPLED.add(email);
                    SAMPLED.add(card);
                    insert.setString(1, email);
                    insert.setString(2, card);
                    insert.setInt(3, 2020 + i % 5);
                    insert.setString(4, "n/a");
                    insert.executeUpdate();
                }
            }
            s.execute("INSERT INTO orders (customer_id, amount) VALUES (1, 250.0), (2, 12.5)");
        }
    }

    @Test
    void aScanFindsClassifiesAndKeepsNoValue() throws Exception {
        HttpResponse<String> created = server.postJson("/api/v1/connections",
                "{\"name\": \"" + name + "\", \"jdbcUrl\": \"jdbc:sqlite:" + db + "\", \"user\": \"reader\", \"password\": \"" + PASSWORD
                        + "\", \"sampleSize\": 50}");
        assertEquals(201, created.statusCode(), created.body());
        assertFalse(created.body().contains(PASSWORD), "the password never comes back");
        assertEquals("stored encrypted", TestServer.parse(created.body()).path("password").asText());
        assertEquals(409, server.postJson("/api/v1/connections", "{\"name\": \"" + name + "\", \"jdbcUrl\": \"jdbc:sqlite:" + db + "\"}").statusCode());

        JsonNode test = TestServer.parse(server.postJson("/api/v1/connections/" + name + "/test", "").body());
        assertTrue(test.path("ok").asBoolean(), test.toString());
        assertTrue(test.path("product").asText().startsWith("SQLite 3"), test.toString());

        JsonNode scan = scan();
        assertEquals("SUCCEEDED", scan.path("state").asText(), scan.toString());
        assertEquals(4, scan.path("tables").asInt(), "two tables and two views");
        assertEquals(1.0, scan.path("progress").asDouble());
        server.awaitProjection();

        String namespace = "sqlite://" + db.toAbsolutePath();
        JsonNode customers = server.getJson("/api/v1/namespaces/" + enc(namespace) + "/datasets/customers");
        assertEquals(5, customers.path("fields").size(), customers.toString());
        JsonNode facets = customers.path("facets");
        assertEquals("[\"id\"]", facets.path("waymark_discovery").path("primaryKey").toString());
        JsonNode card = field(customers, "card");
        assertTrue(card.path("classifications").toString().contains("PCI.PAN"), "the card column is found by its values: " + card);
        assertTrue(field(customers, "email").path("classifications").toString().contains("PII.contact.email"));
        assertFalse(field(customers, "fiscal_year").path("classifications").toString().contains("PCI"), "a year is not a card");
        JsonNode orders = server.getJson("/api/v1/namespaces/" + enc(namespace) + "/datasets/orders");
        assertEquals("customers.id", orders.path("facets").path("waymark_discovery").path("foreignKeys").get(0).path("references").asText());
        JsonNode view = server.getJson("/api/v1/namespaces/" + enc(namespace) + "/datasets/big_orders");
        assertEquals("VIEW", view.path("facets").path("datasetType").path("datasetType").asText());

        // A view's definition is lineage: a job per view, reading its tables, with column lineage,
        // along which the e-mail label travels to the view's column.
        JsonNode contacts = server.getJson("/api/v1/namespaces/" + enc(namespace) + "/datasets/customer_contacts");
        assertEquals(List.of(namespace + " customers.email TRANSFORMATION"), inputsOf(contacts, "contact"), contacts.toString());
        JsonNode viewJob = server.getJson("/api/v1/namespaces/" + enc(namespace) + "/jobs/customer_contacts");
        assertEquals("[{\"namespace\":\"" + namespace + "\",\"name\":\"customers\"}]", viewJob.path("inputs").toString(), viewJob.toString());
        assertTrue(viewJob.path("facets").path("sql").path("query").asText().contains("lower(c.email)"), viewJob.toString());
        assertTrue(field(contacts, "contact").path("classifications").toString().contains("PII.contact.email"),
                "the e-mail label is propagated into the view: " + contacts);

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE customers ADD COLUMN phone TEXT");
        }
        JsonNode rescan = scan();
        assertEquals("SUCCEEDED", rescan.path("state").asText());
        assertEquals("[{\"dataset\":\"customers\",\"column\":\"phone\",\"change\":\"ADDED\",\"type\":\"TEXT\"}]", rescan.path("changes").toString());

        List<String> secrets = new ArrayList<>(SAMPLED);
        secrets.add(PASSWORD);
        List<String> leaks = leaks(server.dataDir, secrets);
        assertTrue(leaks.isEmpty(), "sampled values or the password in the data directory: " + leaks);
    }

    @Test
    void aPostgresDatabaseIsScannedAndNamedTheOpenLineageWay() throws Exception {
        PostgresServer pg = PostgresServer.get();
        String database = "shop_" + Long.toHexString(RANDOM.nextLong()).substring(0, 6);
        pg.sql("postgres", "CREATE DATABASE " + database);
        pg.sql(database, """
                CREATE SCHEMA crm;
                CREATE TABLE crm.customers (id serial PRIMARY KEY, email varchar(200) NOT NULL, fiscal_year int);
                COMMENT ON TABLE crm.customers IS 'CRM customers';
                COMMENT ON COLUMN crm.customers.email IS 'login e-mail';
                CREATE TABLE crm.orders (id serial PRIMARY KEY, customer_id int REFERENCES crm.customers(id), amount numeric(12,2));
                INSERT INTO crm.customers (email, fiscal_year) SELECT 'pg' || g || 'x@example.org', 2024 FROM generate_series(1, 30) g;
                ANALYZE;
                CREATE VIEW crm.big_orders AS SELECT * FROM crm.orders WHERE amount > 10;
                CREATE TABLE public.regions (id int PRIMARY KEY, label text);
                CREATE VIEW crm.totals AS SELECT o.customer_id, sum(o.amount) AS total, r.label FROM crm.orders o JOIN regions r ON r.id = o.id
                    GROUP BY o.customer_id, r.label;""");
        String connection = "pg-" + name;
        assertEquals(201, server.postJson("/api/v1/connections", "{\"name\": \"" + connection + "\", \"jdbcUrl\": \"" + pg.jdbcUrl(database)
                + "\", \"user\": \"postgres\", \"password\": \"" + PostgresServer.PASSWORD + "\"}").statusCode());
        JsonNode test = TestServer.parse(server.postJson("/api/v1/connections/" + connection + "/test", "").body());
        assertTrue(test.path("product").asText().startsWith("PostgreSQL "), test.toString());
        String wrong = "pg-wrong-" + name;
        server.postJson("/api/v1/connections", "{\"name\": \"" + wrong + "\", \"jdbcUrl\": \"" + pg.jdbcUrl(database)
                + "\", \"user\": \"postgres\", \"password\": \"not-it\"}");
        JsonNode refused = TestServer.parse(server.postJson("/api/v1/connections/" + wrong + "/test", "").body());
        assertTrue(refused.path("error").asText().startsWith("authentication failed for user postgres"), refused.toString());

        HttpResponse<String> started = server.postJson("/api/v1/connections/" + connection + "/scans", "");
        assertEquals(202, started.statusCode(), started.body());
        String id = TestServer.parse(started.body()).path("id").asText();
        JsonNode scan;
        long deadline = System.currentTimeMillis() + 60_000;
        do {
            Thread.sleep(200);
            scan = server.getJson("/api/v1/connections/" + connection + "/scans/" + id);
        } while (scan.path("state").asText().equals("RUNNING") && System.currentTimeMillis() < deadline);
        assertEquals("SUCCEEDED", scan.path("state").asText(), scan.toString());
        assertEquals(5, scan.path("tables").asInt());
        server.awaitProjection();
        String namespace = "postgres://127.0.0.1:" + pg.port;
        JsonNode customers = server.getJson("/api/v1/namespaces/" + enc(namespace) + "/datasets/" + enc(database + ".crm.customers"));
        assertEquals("CRM customers", customers.path("description").asText(), customers.toString());
        assertEquals("login e-mail", field(customers, "email").path("description").asText());
        assertTrue(field(customers, "email").path("classifications").toString().contains("PII.contact.email"));
        assertEquals(30, customers.path("facets").path("waymark_discovery").path("rowEstimate").asInt());
        JsonNode orders = server.getJson("/api/v1/namespaces/" + enc(namespace) + "/datasets/" + enc(database + ".crm.orders"));
        assertEquals(database + ".crm.customers.id", orders.path("facets").path("waymark_discovery").path("foreignKeys").get(0).path("references").asText());
        // PostgreSQL gives a view's definition with the tables on the search path unqualified.
        JsonNode totals = server.getJson("/api/v1/namespaces/" + enc(namespace) + "/jobs/" + enc(database + ".crm.totals"));
        assertEquals(List.of(database + ".crm.orders", database + ".public.regions"),
                totals.path("inputs").findValuesAsText("name").stream().sorted().toList(), totals.toString());
        JsonNode totalsView = server.getJson("/api/v1/namespaces/" + enc(namespace) + "/datasets/" + enc(database + ".crm.totals"));
        assertEquals(List.of(namespace + " " + database + ".crm.orders.amount AGGREGATION"), inputsOf(totalsView, "total"), totalsView.toString());
        List<String> secrets = new ArrayList<>(List.of(PostgresServer.PASSWORD));
        for (int g = 1; g <= 30; g++) {
            secrets.add("pg" + g + "x@example.org");
        }
        List<String> leaks = leaks(server.dataDir, secrets);
        assertTrue(leaks.isEmpty(), "sampled values or the password in the data directory: " + leaks);
    }

    @Test
    void theScanCommandRegistersScansAndShowsProgress() throws Exception {
        Path other = Files.createTempDirectory("waymark-scan-cli").resolve("inventory.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items (sku TEXT PRIMARY KEY, title TEXT)");
        }
        var bytes = new java.io.ByteArrayOutputStream();
        List<String> args = List.of("--server", server.url(""), "--token", TestServer.ADMIN_TOKEN, "--jdbc-url", "jdbc:sqlite:" + other);
        assertEquals(0, io.waymark.catalog.cli.ScanCommand.run(args, new java.io.PrintStream(bytes, true)), bytes.toString());
        String printed = bytes.toString();
        assertTrue(printed.contains("100%") && printed.contains("scanned 1 tables and views, 2 columns of 'inventory.db'"), printed);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE items ADD COLUMN price REAL");
        }
        bytes.reset();
        assertEquals(0, io.waymark.catalog.cli.ScanCommand.run(args, new java.io.PrintStream(bytes, true)), bytes.toString());
        assertTrue(bytes.toString().contains("ADDED items.price"), bytes.toString());
        assertEquals(64, io.waymark.catalog.cli.ScanCommand.run(List.of("--server", server.url(""), "--jdbc-url", "jdbc:sqlite:" + other,
                "--password", "secret"), new java.io.PrintStream(new java.io.ByteArrayOutputStream())), "a password on the command line is refused");
    }

    /**
     * A database whose driver Waymark does not ship: H2 in server mode, in its own process, its
     * driver jar dropped into the data directory's drivers folder while the server runs.
     */
    @Test
    void aDriverFromTheDriversDirectoryScansItsDatabase() throws Exception {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.h2.Driver"), "H2 must not be on the classpath for this test");
        Path jar = Path.of("target/test-drivers/h2-2.3.232.jar").toAbsolutePath();
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path base = Files.createTempDirectory("waymark-h2");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process h2 = new ProcessBuilder(java, "-cp", jar.toString(), "org.h2.tools.Server", "-tcp", "-tcpPort", String.valueOf(port),
                "-ifNotExists", "-baseDir", base.toString()).redirectErrorStream(true).redirectOutput(base.resolve("h2.log").toFile()).start();
        try {
            String url = "jdbc:h2:tcp://127.0.0.1:" + port + "/shop";
            String h2name = "h2-" + name;
            assertEquals(201, server.postJson("/api/v1/connections", "{\"name\": \"" + h2name + "\", \"jdbcUrl\": \"" + url
                    + "\", \"user\": \"sa\", \"password\": \"h2-secret\"}").statusCode());
            JsonNode missing = TestServer.parse(server.postJson("/api/v1/connections/" + h2name + "/test", "").body());
            assertTrue(missing.path("error").asText().startsWith("no driver for jdbc:h2: put its JDBC driver's jar in the drivers directory"),
                    missing.toString());

            Files.createDirectories(server.dataDir.resolve("drivers"));
            Files.copy(jar, server.dataDir.resolve("drivers").resolve(jar.getFileName()));
            long deadline = System.currentTimeMillis() + 30_000;
            int exit;
            do {
                // The server process may still be opening its port.
                exit = new ProcessBuilder(java, "-cp", jar.toString(), "org.h2.tools.Shell", "-url", url, "-user", "sa", "-password", "h2-secret",
                        "-sql", "CREATE TABLE IF NOT EXISTS customers (id INT PRIMARY KEY, email VARCHAR(200), fiscal_year INT); "
                                + "CREATE OR REPLACE VIEW mailing AS SELECT id, email AS address FROM customers")
                        .redirectErrorStream(true).redirectOutput(base.resolve("shell.log").toFile()).start().waitFor();
            } while (exit != 0 && System.currentTimeMillis() < deadline && sleep());
            assertEquals(0, exit, Files.readString(base.resolve("shell.log")));

            JsonNode test = TestServer.parse(server.postJson("/api/v1/connections/" + h2name + "/test", "").body());
            assertTrue(test.path("ok").asBoolean(), test.toString());
            assertTrue(test.path("product").asText().startsWith("H2 2.3.232"), test.toString());
            assertEquals("h2://127.0.0.1:" + port, test.path("namespace").asText());
            JsonNode scan = scan(h2name);
            assertEquals("SUCCEEDED", scan.path("state").asText(), scan.toString());
            assertEquals(2, scan.path("tables").asInt(), scan.toString());
            server.awaitProjection();
            String namespace = "h2://127.0.0.1:" + port;
            JsonNode customers = server.getJson("/api/v1/namespaces/" + enc(namespace) + "/datasets/" + enc("shop.PUBLIC.CUSTOMERS"));
            assertTrue(field(customers, "EMAIL").path("classifications").toString().contains("PII.contact.email"), customers.toString());
            JsonNode mailing = server.getJson("/api/v1/namespaces/" + enc(namespace) + "/datasets/" + enc("shop.PUBLIC.MAILING"));
            assertEquals(List.of(namespace + " shop.PUBLIC.CUSTOMERS.EMAIL IDENTITY"), inputsOf(mailing, "ADDRESS"), mailing.toString());
        } finally {
            h2.destroy();
            h2.waitFor();
        }
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(300);
        return true;
    }

    @Test
    void aFailedConnectionSaysWhy() {
        String unreachable = "down-" + name;
        assertEquals(201, server.postJson("/api/v1/connections",
                "{\"name\": \"" + unreachable + "\", \"jdbcUrl\": \"jdbc:postgresql://127.0.0.1:1/shop\", \"user\": \"x\", \"passwordEnv\": \"WAYMARK_TEST_NOT_SET_ANYWHERE\"}").statusCode());
        JsonNode test = TestServer.parse(server.postJson("/api/v1/connections/" + unreachable + "/test", "").body());
        assertFalse(test.path("ok").asBoolean());
        assertEquals("environment variable WAYMARK_TEST_NOT_SET_ANYWHERE is not set in the server's environment", test.path("error").asText());
        String closed = "closed-" + name;
        assertEquals(201, server.postJson("/api/v1/connections",
                "{\"name\": \"" + closed + "\", \"jdbcUrl\": \"jdbc:postgresql://127.0.0.1:1/shop\", \"user\": \"x\"}").statusCode());
        JsonNode refused = TestServer.parse(server.postJson("/api/v1/connections/" + closed + "/test", "").body());
        assertTrue(refused.path("error").asText().startsWith("host unreachable"), refused.toString());
        assertEquals(400, server.postJson("/api/v1/connections", "{\"name\": \"x1\", \"jdbcUrl\": \"jdbc:postgresql://h/db?password=secret\"}").statusCode());
        assertEquals(400, server.postJson("/api/v1/connections", "{\"name\": \"x2\", \"jdbcUrl\": \"jdbc:oracle:thin:@h:1521/db\"}").statusCode());
        assertEquals(404, server.postJson("/api/v1/connections/nope-" + name + "/scans", "").statusCode());
        assertEquals(200, server.delete("/api/v1/connections/" + closed).statusCode());
        assertEquals(404, server.get("/api/v1/connections/" + closed).statusCode());
    }

    private static JsonNode scan() throws InterruptedException {
        return scan(name);
    }

    private static JsonNode scan(String name) throws InterruptedException {
        HttpResponse<String> started = server.postJson("/api/v1/connections/" + name + "/scans", "");
        assertEquals(202, started.statusCode(), started.body());
        String id = TestServer.parse(started.body()).path("id").asText();
        long deadline = System.currentTimeMillis() + 60_000;
        JsonNode scan;
        do {
            Thread.sleep(200);
            scan = server.getJson("/api/v1/connections/" + name + "/scans/" + id);
        } while (scan.path("state").asText().equals("RUNNING") && System.currentTimeMillis() < deadline);
        return scan;
    }

    private static JsonNode field(JsonNode dataset, String name) {
        for (JsonNode f : dataset.path("fields")) {
            if (f.path("name").asText().equals(name)) {
                return f;
            }
        }
        throw new AssertionError("no field " + name + " in " + dataset);
    }

    /** Each of the secrets wherever it occurs in the data directory's files. */
    private static List<String> leaks(Path dir, List<String> secrets) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text;
                try {
                    text = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                } catch (IOException e) {
                    continue;
                }
                for (String secret : secrets) {
                    if (text.contains(secret)) {
                        found.add(secret + " in " + f);
                    }
                }
            }
        }
        return found;
    }

    private static String luhn(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 0) {
                d *= 2;
                d = d > 9 ? d - 9 : d;
            }
            sum += d;
        }
        return digits + (10 - sum % 10) % 10;
    }

    /** A dataset's column lineage for one field, as "namespace dataset.field transformation" lines. */
    private static List<String> inputsOf(JsonNode dataset, String fieldName) {
        List<String> inputs = new ArrayList<>();
        for (JsonNode f : dataset.path("columnLineage")) {
            if (f.path("name").asText().equals(fieldName)) {
                f.path("inputFields").forEach(i -> inputs.add(i.path("namespace").asText() + " " + i.path("dataset").asText() + "."
                        + i.path("field").asText() + " " + i.path("transformationType").asText()));
            }
        }
        return inputs;
    }
}
