package io.waymark.agent.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.waymark.agent.it.Processes.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end: the real Waymark server jar in one JVM, the pipeline with the agent in another,
 * and every assertion made through Waymark's HTTP API.
 */
class AgentIT {
    private static Processes.Server server;
    private static Path work;

    @BeforeAll
    static void startWaymark() throws Exception {
        work = Files.createTempDirectory("waymark-agent-it");
        server = new Processes.Server(Processes.freePort(), work.resolve("server"));
    }

    @AfterAll
    static void stopWaymark() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    // Runs against the live server get a generous exit budget (exitTimeoutMs): on a busy machine a
    // slow answer must not turn into a spooled event and a flaky test. The default budget is what
    // the black-hole case below holds the agent to.
    private static String ns() {
        return "etl-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static JsonNode finishedRun(String ns, String job) throws InterruptedException {
        JsonNode runs = server.await("/api/v1/namespaces/" + enc(ns) + "/jobs/" + enc(job) + "/runs",
                r -> r.path("runs").size() > 0 && !r.path("runs").get(0).path("state").asText().equals("RUNNING")
                        && !r.path("runs").get(0).path("state").asText().equals("NEW"));
        return runs.path("runs").get(0);
    }

    private static Map<String, JsonNode> byField(JsonNode columnLineage) {
        Map<String, JsonNode> fields = new HashMap<>();
        for (JsonNode node : columnLineage.path("graph")) {
            JsonNode data = node.path("data");
            if (node.path("type").asText().equals("DATASET_FIELD")) {
                fields.put(data.path("dataset").asText() + "." + data.path("field").asText(), data);
            }
        }
        return fields;
    }

    private static String transformation(JsonNode field, String fromDataset, String fromField) {
        for (JsonNode in : field.path("inputFields")) {
            if (in.path("dataset").asText().equals(fromDataset) && in.path("field").asText().equals(fromField)) {
                JsonNode t = in.path("transformations").get(0);
                return t.path("type").asText() + "/" + t.path("subtype").asText() + (t.path("masking").asBoolean() ? "/masking" : "");
            }
        }
        return null;
    }

    @Test
    void aJdbcJobsLineageAndColumnLineageReachWaymark() throws Exception {
        String ns = ns();
        Path db = work.resolve(ns + ".db");
        Processes.Result result = Processes.run(Processes.etl("url=" + server.url() + ",token=" + server.producerToken + ",namespace=" + ns + ",job=customer_etl,exitTimeoutMs=15000,spool="
                + work.resolve("spool-" + ns), db, false), work);
        assertEquals(0, result.exitCode(), result.stderr());
        assertFalse(result.stderr().contains("[waymark-agent]"), result.stderr());

        JsonNode run = finishedRun(ns, "customer_etl");
        assertEquals("COMPLETED", run.path("state").asText(), run.toString());
        String dbNs = "sqlite://" + db.toAbsolutePath().normalize();
        JsonNode job = server.get("/api/v1/namespaces/" + enc(ns) + "/jobs/customer_etl");
        List<String> inputs = new ArrayList<>();
        job.path("inputs").forEach(i -> inputs.add(i.path("namespace").asText() + "|" + i.path("name").asText()));
        List<String> outputs = new ArrayList<>();
        job.path("outputs").forEach(o -> outputs.add(o.path("namespace").asText() + "|" + o.path("name").asText()));
        assertTrue(inputs.containsAll(List.of(dbNs + "|customers", dbNs + "|orders", dbNs + "|customer_totals")), inputs.toString());
        assertTrue(outputs.containsAll(List.of(dbNs + "|customers", dbNs + "|orders", dbNs + "|customer_totals", dbNs + "|big_spenders")),
                outputs.toString());

        // The schema of a table the job created, from its CREATE TABLE.
        JsonNode totals = server.get("/api/v1/namespaces/" + enc(dbNs) + "/datasets/customer_totals");
        List<String> names = new ArrayList<>();
        totals.path("fields").forEach(f -> names.add(f.path("name").asText()));
        assertEquals(List.of("customer_id", "email_hash", "order_count", "total"), names);

        Map<String, JsonNode> fields = byField(server.get("/api/v1/column-lineage?nodeId=" + enc("dataset:" + dbNs + ":customer_totals") + "&depth=1"));
        assertEquals("DIRECT/IDENTITY", transformation(fields.get("customer_totals.customer_id"), "customers", "id"), fields.toString());
        assertEquals("DIRECT/TRANSFORMATION/masking", transformation(fields.get("customer_totals.email_hash"), "customers", "email"));
        assertEquals("DIRECT/AGGREGATION", transformation(fields.get("customer_totals.total"), "orders", "amount"));
        assertEquals("DIRECT/AGGREGATION", transformation(fields.get("customer_totals.order_count"), "orders", "id"));
        // CTAS: its columns come from customer_totals; the WHERE is an indirect dependency of the table.
        Map<String, JsonNode> ctas = byField(server.get("/api/v1/column-lineage?nodeId=" + enc("dataset:" + dbNs + ":big_spenders") + "&depth=1"));
        assertEquals("DIRECT/IDENTITY", transformation(ctas.get("big_spenders.total"), "customer_totals", "total"), ctas.toString());
        String deps = server.get("/api/v1/column-lineage?nodeId=" + enc("dataset:" + dbNs + ":customer_totals") + "&depth=1").toString();
        assertTrue(deps.contains("\"INDIRECT\"") && deps.contains("\"JOIN\"") && deps.contains("\"GROUP_BY\"") && deps.contains("\"FILTER\""), deps);
    }

    @Test
    void columnsOfTablesTheJobDidNotCreateComeFromTheDatabase() throws Exception {
        String ns = ns();
        Path db = work.resolve(ns + ".db");
        assertEquals(0, Processes.run(Processes.etl(null, db, false, "ledger-setup"), work).exitCode());
        Processes.Result result = Processes.run(Processes.etl("url=" + server.url() + ",token=" + server.producerToken + ",namespace=" + ns + ",job=ledger_copy,exitTimeoutMs=15000,spool="
                + work.resolve("spool-" + ns), db, false, "ledger-copy"), work);
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("COMPLETED", finishedRun(ns, "ledger_copy").path("state").asText());
        String dbNs = "sqlite://" + db.toAbsolutePath().normalize();
        JsonNode copy = server.get("/api/v1/namespaces/" + enc(dbNs) + "/datasets/ledger_copy");
        List<String> names = new ArrayList<>();
        copy.path("fields").forEach(f -> names.add(f.path("name").asText() + ":" + f.path("type").asText()));
        assertEquals(List.of("id:INTEGER", "amount:REAL"), names, "schema facet from DatabaseMetaData");
        Map<String, JsonNode> fields = byField(server.get("/api/v1/column-lineage?nodeId=" + enc("dataset:" + dbNs + ":ledger_copy") + "&depth=1"));
        assertEquals("DIRECT/IDENTITY", transformation(fields.get("ledger_copy.id"), "ledger", "id"), fields.toString());
        assertEquals("DIRECT/TRANSFORMATION", transformation(fields.get("ledger_copy.amount"), "ledger", "amount"));
        // SELECT * over a table the run did not create: expanded from the database's columns
        Map<String, JsonNode> star = byField(server.get("/api/v1/column-lineage?nodeId=" + enc("dataset:" + dbNs + ":ledger_star") + "&depth=1"));
        assertEquals("DIRECT/IDENTITY", transformation(star.get("ledger_star.id"), "ledger", "id"), star.toString());
        assertEquals("DIRECT/IDENTITY", transformation(star.get("ledger_star.amount"), "ledger", "amount"));
    }

    @Test
    void withWaymarkDownEventsAreSpooledAndFlushDeliversEachOnce() throws Exception {
        String ns = ns();
        Path spool = work.resolve("spool-" + ns);
        int nobody = Processes.freePort();
        Processes.Result down = Processes.run(Processes.etl("url=http://127.0.0.1:" + nobody + ",namespace=" + ns + ",job=offline_etl,spool=" + spool,
                work.resolve(ns + ".db"), false), work);
        assertEquals(0, down.exitCode(), down.stderr());
        List<Path> spooled;
        try (var files = Files.list(spool)) {
            spooled = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(spooled.size() >= 2, "START and COMPLETE spooled: " + spooled);
        assertTrue(Files.readString(spooled.get(0)).contains("\"START\""), "oldest first");

        List<String> flush = List.of(Processes.java(), "-jar", Processes.AGENT.toString(), "flush", "--url", server.url(), "--token", server.producerToken, "--spool", spool.toString());
        Processes.Result flushed = Processes.run(flush, work);
        assertEquals(0, flushed.exitCode(), flushed.stdout() + flushed.stderr());
        assertTrue(flushed.stdout().contains("delivered " + spooled.size() + ", refused 0"), flushed.stdout());
        JsonNode run = finishedRun(ns, "offline_etl");
        assertEquals("COMPLETED", run.path("state").asText());

        Processes.Result again = Processes.run(flush, work);
        assertEquals(0, again.exitCode());
        assertTrue(again.stdout().contains("delivered 0, refused 0"), "nothing is sent twice: " + again.stdout());
        // Exactly one event of each type of the run in the journal.
        String runId = run.path("id").asText();
        Map<String, Integer> types = new HashMap<>();
        for (JsonNode e : server.get("/api/v1/events/lineage?limit=1000").path("events")) {
            if (e.path("run").path("runId").asText().equals(runId)) {
                types.merge(e.path("eventType").asText(), 1, Integer::sum);
            }
        }
        assertEquals(1, types.get("START"), types.toString());
        assertEquals(1, types.get("COMPLETE"), types.toString());
    }

    @Test
    void aFailingWrappedCommandLeavesAFailedRunWithItsExitCode() throws Exception {
        String ns = ns();
        Processes.Result result = Processes.run(List.of(Processes.java(), "-jar", Processes.AGENT.toString(), "run", "--url", server.url(), "--token", server.producerToken,
                "--namespace", ns, "--job", "nightly_export", "--input", "postgres://db:5432:shop.public.orders",
                "--output", "s3://exports:orders.csv", "--spool", work.resolve("spool-" + ns).toString(), "--",
                "sh", "-c", "echo exporting; echo 'disk full' >&2; exit 3"), work, "WAYMARK_EXIT_TIMEOUT_MS", "15000",
                // As Airflow's OpenLineage provider hands it to the tasks it runs.
                "OPENLINEAGE_PARENT_ID", "airflow/nightly_dag.export/0190c0a2-5b1e-7f4e-9c3a-2b8f1d0e6a11");
        assertEquals(3, result.exitCode(), "the wrapper exits with the command's code");
        assertTrue(result.stdout().contains("exporting"), "stdout passes through");
        assertTrue(result.stderr().contains("disk full"), "stderr passes through");
        JsonNode run = finishedRun(ns, "nightly_export");
        assertEquals("FAILED", run.path("state").asText());
        assertTrue(run.path("errorMessage").asText().contains("exit code 3"), run.toString());
        assertTrue(run.toString().contains("disk full"), "the stderr tail is kept: " + run);
        JsonNode job = server.get("/api/v1/namespaces/" + enc(ns) + "/jobs/nightly_export");
        assertTrue(job.toString().contains("shop.public.orders") && job.toString().contains("orders.csv"), job.toString());
        assertEquals("nightly_dag.export", job.path("parentJobName").asText(), "the parent run facet names the Airflow task");

        Processes.Result ok = Processes.run(List.of(Processes.java(), "-jar", Processes.AGENT.toString(), "run", "--url", server.url(), "--token", server.producerToken,
                "--namespace", ns, "--job", "nightly_ok", "--", "true"), work, "WAYMARK_EXIT_TIMEOUT_MS", "15000");
        assertEquals(0, ok.exitCode());
        assertEquals("COMPLETED", finishedRun(ns, "nightly_ok").path("state").asText());
    }

    @Test
    void aSignalToTheWrapperStopsTheCommandAndFailsTheRun() throws Exception {
        String ns = ns();
        Path marker = work.resolve(ns + ".pid");
        Process wrapper = new ProcessBuilder(Processes.java(), "-jar", Processes.AGENT.toString(), "run", "--url", server.url(), "--token", server.producerToken,
                "--namespace", ns, "--job", "long_export", "--spool", work.resolve("spool-" + ns).toString(), "--",
                "sh", "-c", "echo $$ > " + marker + "; exec sleep 60")
                .redirectErrorStream(true).redirectOutput(work.resolve(ns + ".log").toFile()).start();
        JsonNode running = server.await("/api/v1/namespaces/" + enc(ns) + "/jobs/long_export/runs",
                r -> r.path("runs").size() > 0 && Files.exists(marker));
        assertEquals("RUNNING", running.path("runs").get(0).path("state").asText());
        long child = Long.parseLong(Files.readString(marker).strip());
        wrapper.destroy(); // SIGTERM, as a scheduler stopping the task sends
        assertTrue(wrapper.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the wrapper ends");
        assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), "the command was stopped too");
        JsonNode run = finishedRun(ns, "long_export");
        assertEquals("FAILED", run.path("state").asText());
        assertTrue(run.path("errorMessage").asText().contains("terminated by a signal"), run.toString());
    }

    @Test
    void aHostWithItsOwnOlderJacksonStillRuns() throws Exception {
        String ns = ns();
        Processes.Result result = Processes.run(Processes.etl("url=" + server.url() + ",token=" + server.producerToken + ",namespace=" + ns + ",job=legacy_etl,exitTimeoutMs=15000,spool="
                + work.resolve("spool-" + ns), work.resolve(ns + ".db"), true, "jackson"), work);
        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(result.stdout().contains("host jackson 2.12.7"), result.stdout());
        assertEquals("COMPLETED", finishedRun(ns, "legacy_etl").path("state").asText());
    }

    @Test
    void agentTroubleNeverChangesTheHostsExitCode() throws Exception {
        String ns = ns();
        // Options the agent cannot use: it says so and stays out of the way.
        Processes.Result bad = Processes.run(Processes.etl("url=not a url,namespace=" + ns, work.resolve(ns + "-a.db"), false), work);
        assertEquals(0, bad.exitCode());
        assertTrue(bad.stderr().contains("[waymark-agent] lineage reporting is off"), bad.stderr());

        // The job's own exit status and failure are the host's, and are reported as such.
        Processes.Result exit3 = Processes.run(Processes.etl("url=" + server.url() + ",token=" + server.producerToken + ",namespace=" + ns + ",job=exit3,exitTimeoutMs=15000,spool=" + work.resolve("s-" + ns),
                work.resolve(ns + "-b.db"), false, "exit=3"), work);
        assertEquals(3, exit3.exitCode());
        JsonNode run = finishedRun(ns, "exit3");
        assertEquals("FAILED", run.path("state").asText());
        assertEquals(3, run.path("facets").path("waymark_exit").path("exitCode").asInt(), run.toString());

        Processes.Result thrown = Processes.run(Processes.etl("url=" + server.url() + ",token=" + server.producerToken + ",namespace=" + ns + ",job=thrown,exitTimeoutMs=15000,spool=" + work.resolve("s-" + ns),
                work.resolve(ns + "-c.db"), false, "fail"), work);
        assertEquals(1, thrown.exitCode());
        assertTrue(thrown.stderr().contains("reconciliation failed"), "the JVM still prints the uncaught exception");
        JsonNode failed = finishedRun(ns, "thrown");
        assertEquals("FAILED", failed.path("state").asText());
        assertTrue(failed.path("errorMessage").asText().contains("reconciliation failed"), failed.toString());

        // A Waymark that accepts connections and never answers: the job still ends, with its own status.
        try (ServerSocket blackHole = new ServerSocket(0)) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(blackHole.accept());
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Processes.Result hung = Processes.run(Processes.etl("url=http://127.0.0.1:" + blackHole.getLocalPort() + ",namespace=" + ns
                    + ",job=hung,exitTimeoutMs=1000,spool=" + work.resolve("s-hung-" + ns), work.resolve(ns + "-d.db"), false), work);
            assertEquals(0, hung.exitCode(), hung.stderr());
            Processes.Result plain = Processes.run(Processes.etl(null, work.resolve(ns + "-e.db"), false), work);
            // The exit budget is 1 s here; JVM start and the job's own work vary, so allow a wide margin.
            assertTrue(hung.millis() < plain.millis() + 5_000, "exit not held up: " + hung.millis() + " ms vs " + plain.millis() + " ms without the agent");
        }
    }
}
