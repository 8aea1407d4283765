package io.waymark.catalog.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waymark.catalog.config.InstanceKey;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.ingest.IngestService;
import io.waymark.catalog.ingest.InvalidEventException;
import io.waymark.catalog.journal.Journal;
import io.waymark.catalog.model.Times;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.waymark.catalog.api.JsonView.F;

/**
 * Discovery connections and their scans. A scan reads a database's structure and samples (see
 * {@link Scanner}) and journals what it found as OpenLineage DatasetEvents from producer
 * {@value #PRODUCER}, named the OpenLineage way, plus the detectors' labels (never a value); a
 * rescan says which columns were added, dropped or retyped since the last successful scan.
 * Connections with a {@code schedule} (an ISO-8601 duration) are rescanned that often.
 */
@io.micronaut.context.annotation.Context // created at start, so schedules run and stale RUNNING scans are closed without an API call first
public class Discovery {
    public static final String PRODUCER = "waymark-discovery";
    private static final Logger LOG = LoggerFactory.getLogger(Discovery.class);
    private static final int EVENTS_PER_COMMIT = 200;
    private static final int LOGIN_TIMEOUT_S = 10;

    private final Journal journal;
    private final IngestService ingest;
    private final InstanceKey key;
    private final ExecutorService scans = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "discovery-scan");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "discovery-schedule");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final DriverDirectory drivers;

    /** Replicas: the scheduled work runs on the leader only (null outside the server, where this process is alone). */
    @jakarta.inject.Inject
    io.waymark.catalog.cluster.Leadership leadership;

    public Discovery(Journal journal, IngestService ingest, InstanceKey key, DriverDirectory drivers) {
        this.journal = journal;
        this.drivers = drivers;
        this.ingest = ingest;
        this.key = key;
        // A scan a stopped server left running will not finish: say so rather than show it running forever.
        dao(d -> d.failRunning("the server stopped during the scan", Times.format(Instant.now())));
        scheduler.scheduleWithFixedDelay(this::scheduled, 30, 30, TimeUnit.SECONDS);
    }

    @PreDestroy
    void close() {
        scheduler.shutdownNow();
        scans.shutdownNow();
    }

    private <T> T dao(java.util.function.Function<ConnectionDao, T> work) {
        return journal.jdbi().withExtension(ConnectionDao.class, work::apply);
    }

    /** Registers a connection (refused if the name is taken); the answer never holds the password. */
    public ObjectNode create(JsonNode body, String actor) throws InvalidEventException {
        ConnectionRow row = ConnectionRequest.row(body, actor, key);
        String name = row.name();
        boolean created = dao(d -> {
            if (d.byName(name).isPresent()) {
                return false;
            }
            d.insert(row);
            return true;
        });
        if (!created) {
            throw new InvalidEventException(409, "conflict", "name", "a connection named '" + name + "' exists; delete it first");
        }
        return view(row);
    }

    public List<ObjectNode> list() {
        return dao(ConnectionDao::all).stream().map(this::view).toList();
    }

    public Optional<ObjectNode> get(String name) {
        return dao(d -> d.byName(name)).map(this::view);
    }

    public boolean delete(String name) {
        return dao(d -> d.delete(name)) > 0;
    }

    private ObjectNode view(ConnectionRow row) {
        ObjectNode node = F.objectNode().put("name", row.name()).put("jdbcUrl", row.jdbcUrl()).put("user", row.username())
                .put("password", row.passwordEnc() != null ? "stored encrypted" : null).put("passwordEnv", row.passwordEnv());
        node.set("include", JsonView.parse(row.includeJson()));
        node.set("exclude", JsonView.parse(row.excludeJson()));
        node.put("sampleSize", row.sampleSize()).put("schedule", row.schedule()).put("createdAt", row.createdAt()).put("createdBy", row.createdBy());
        DatasetNaming.Source source = DatasetNaming.of(row.jdbcUrl());
        node.put("namespace", source.namespace());
        dao(d -> d.scans(row.name(), 1)).stream().findFirst().ifPresent(s -> node.set("lastScan", scanView(s)));
        return node;
    }

    /** Connects and says what answered, or names why nothing did. */
    public ObjectNode test(String name) {
        ConnectionRow row = dao(d -> d.byName(name)).orElse(null);
        if (row == null) {
            return null;
        }
        try (Connection c = open(row)) {
            var meta = c.getMetaData();
            return F.objectNode().put("ok", true).put("product", meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion())
                    .put("driver", meta.getDriverName() + " " + meta.getDriverVersion()).put("user", meta.getUserName())
                    .put("namespace", DatasetNaming.of(row.jdbcUrl()).namespace());
        } catch (SQLException | IllegalStateException e) {
            return F.objectNode().put("ok", false).put("error", cause(row, e));
        }
    }

    /** The cause of a failed connection in words a person acts on. */
    static String cause(ConnectionRow row, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof NoRouteToHostException || t instanceof ConnectException
                    || t instanceof SocketTimeoutException) {
                return "host unreachable: " + t.getMessage();
            }
        }
        if (e instanceof SQLException s) {
            String state = s.getSQLState() == null ? "" : s.getSQLState();
            String message = s.getMessage() == null ? "" : s.getMessage().replaceFirst("^FATAL: ", "");
            if (message.startsWith("No suitable driver")) {
                return "no driver for " + row.jdbcUrl().replaceFirst("^(jdbc:[^:]+):.*", "$1")
                        + ": put its JDBC driver's jar in the drivers directory (waymark.drivers-dir)";
            }
            if (state.startsWith("28") || message.toLowerCase(java.util.Locale.ROOT).contains("access denied")) {
                return "authentication failed for user " + row.username() + ": " + message;
            }
            if (state.equals("3D000")) {
                return "no such database: " + message;
            }
            if (state.startsWith("08")) {
                return "host unreachable: " + message;
            }
            return message;
        }
        return e.getMessage();
    }

    private Connection open(ConnectionRow row) throws SQLException {
        Properties props = new Properties();
        if (row.username() != null) {
            props.setProperty("user", row.username());
        }
        String password = row.passwordEnc() != null ? key.decrypt(row.passwordEnc())
                : row.passwordEnv() != null ? System.getenv(row.passwordEnv()) : null;
        if (row.passwordEnv() != null && password == null) {
            throw new IllegalStateException("environment variable " + row.passwordEnv() + " is not set in the server's environment");
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        // Fail fast on a host that does not answer (PostgreSQL in seconds, MariaDB in milliseconds). Only
        // for the shipped drivers: others may refuse a property they do not know (H2 does).
        if (row.jdbcUrl().startsWith("jdbc:postgresql")) {
            props.setProperty("connectTimeout", String.valueOf(LOGIN_TIMEOUT_S));
            props.setProperty("loginTimeout", String.valueOf(LOGIN_TIMEOUT_S));
        } else if (row.jdbcUrl().startsWith("jdbc:mysql") || row.jdbcUrl().startsWith("jdbc:mariadb")) {
            props.setProperty("connectTimeout", String.valueOf(LOGIN_TIMEOUT_S * 1000));
        }
        String url = row.jdbcUrl().startsWith("jdbc:mysql:") ? "jdbc:mariadb:" + row.jdbcUrl().substring("jdbc:mysql:".length()) : row.jdbcUrl();
        boolean sqlite = url.startsWith("jdbc:sqlite:");
        if (sqlite) {
            // SQLite's read-only mode is chosen when the file is opened (SQLITE_OPEN_READONLY), not later.
            props.setProperty("open_mode", "1");
        }
        Connection c = drivers.connect(url, props);
        try {
            if (!sqlite) {
                c.setReadOnly(true);
            }
            c.setAutoCommit(false);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** Starts a scan; null when the connection does not exist; refused while one is running. */
    public ObjectNode startScan(String name) throws InvalidEventException {
        ConnectionRow row = dao(d -> d.byName(name)).orElse(null);
        if (row == null) {
            return null;
        }
        if (!running.add(name)) {
            throw new InvalidEventException(409, "conflict", null, "a scan of '" + name + "' is running");
        }
        ScanRow scan = new ScanRow(UUID.randomUUID().toString(), name, "RUNNING", Times.format(Instant.now()), null, 0, 0, 0, null, null);
        dao(d -> {
            d.insertScan(scan);
            return null;
        });
        try {
            scans.submit(() -> run(row, scan));
        } catch (RuntimeException e) {
            running.remove(name);
            throw e;
        }
        return F.objectNode().put("id", scan.id()).put("state", scan.state());
    }

    public Optional<ObjectNode> scan(String name, String id) {
        return dao(d -> d.scan(name, id)).map(Discovery::scanView);
    }

    private static ObjectNode scanView(ScanRow s) {
        ObjectNode node = F.objectNode().put("id", s.id()).put("connection", s.connection()).put("state", s.state()).put("startedAt", s.startedAt())
                .put("finishedAt", s.finishedAt()).put("tables", s.tables()).put("columns", s.columns()).put("progress", s.progress())
                .put("error", s.error());
        if (s.changesJson() != null) {
            node.set("changes", JsonView.parse(s.changesJson()).path("changes"));
        }
        return node;
    }

    private void run(ConnectionRow row, ScanRow scan) {
        int tables = 0;
        int columns = 0;
        try (Connection c = open(row)) {
            DatasetNaming.Source source = DatasetNaming.of(row.jdbcUrl());
            Scanner.Filters filters = new Scanner.Filters(strings(row.includeJson()), strings(row.excludeJson()));
            List<String[]> listed = Scanner.list(c, source, filters);
            Map<String, Map<String, String>> snapshot = new TreeMap<>();
            List<String> events = new ArrayList<>();
            List<IngestService.GovernanceEntry> detections = new ArrayList<>();
            // Views' lineage waits for the end: a view may read tables listed after it.
            Map<String, Scanner.Table> views = new LinkedHashMap<>();
            for (String[] t : listed) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
                Scanner.Table table = Scanner.read(c, source, t, row.sampleSize());
                c.rollback();
                String datasetName = source.name(table.schema(), table.name());
                Map<String, String> types = new LinkedHashMap<>();
                table.columns().forEach(col -> types.put(col.name(), col.type()));
                snapshot.put(datasetName, types);
                events.add(ScanResults.event(row, source, table, datasetName));
                if (table.view()) {
                    views.put(datasetName, table);
                }
                if (!table.labels().isEmpty()) {
                    detections.add(ScanResults.detection(source.namespace(), datasetName, table.labels()));
                }
                tables++;
                columns += table.columns().size();
                if (events.size() >= EVENTS_PER_COMMIT) {
                    commit(events, detections);
                }
                int t2 = tables;
                int c2 = columns;
                double progress = (double) tables / listed.size();
                dao(d -> {
                    d.updateScan(new ScanRow(scan.id(), scan.connection(), "RUNNING", scan.startedAt(), null, t2, c2, progress, null, null));
                    return null;
                });
            }
            Map<String, List<String>> scanned = new java.util.HashMap<>();
            snapshot.forEach((dataset, types) -> scanned.put(dataset, List.copyOf(types.keySet())));
            String defaultSchema = source.product().equals("postgresql") ? c.getSchema() : null;
            views.forEach((viewName, view) -> ViewLineage.event(source, view, viewName, defaultSchema, scanned).ifPresent(events::add));
            commit(events, detections);
            JsonNode before = dao(d -> d.scans(row.name(), 50)).stream()
                    .filter(x -> x.state().equals("SUCCEEDED") && x.changesJson() != null).findFirst()
                    .map(x -> JsonView.parse(x.changesJson()).path("snapshot")).orElse(null);
            String changes = ScanResults.changes(before, snapshot);
            finish(scan, "SUCCEEDED", tables, columns, null, changes);
            LOG.info("discovery scan of {}: {} tables, {} columns", row.name(), tables, columns);
        } catch (InterruptedException e) {
            finish(scan, "FAILED", tables, columns, "the server stopped during the scan", null);
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            String error = e instanceof SQLException || e instanceof IllegalStateException ? cause(row, e) : String.valueOf(e.getMessage());
            finish(scan, "FAILED", tables, columns, error, null);
            LOG.warn("discovery scan of {} failed: {}", row.name(), error);
        } finally {
            running.remove(row.name());
        }
    }

    private void commit(List<String> events, List<IngestService.GovernanceEntry> detections) throws Exception {
        if (!events.isEmpty()) {
            var result = ingest.ingestBatch(String.join("\n", events).getBytes(StandardCharsets.UTF_8), true, null).get();
            if (!result.rejected().isEmpty()) {
                throw new IllegalStateException("the journal refused a discovered dataset: " + result.rejected().get(0));
            }
        }
        if (!detections.isEmpty()) {
            ingest.journalGovernance(detections).get();
        }
        events.clear();
        detections.clear();
    }

    private void finish(ScanRow scan, String state, int tables, int columns, String error, String changes) {
        dao(d -> {
            d.updateScan(new ScanRow(scan.id(), scan.connection(), state, scan.startedAt(), Times.format(Instant.now()), tables, columns,
                    state.equals("SUCCEEDED") ? 1.0 : (double) 0, error, changes));
            return null;
        });
    }

    /** Starts the scans whose schedule is due. */
    private void scheduled() {
        if (!io.waymark.catalog.cluster.Leadership.leads(leadership)) {
            return;
        }
        try {
            Instant now = Instant.now();
            for (ConnectionRow row : dao(ConnectionDao::all)) {
                if (row.schedule() == null || running.contains(row.name())) {
                    continue;
                }
                Optional<ScanRow> last = dao(d -> d.scans(row.name(), 1)).stream().findFirst();
                Instant due = last.map(s -> Instant.parse(s.startedAt()).plus(Duration.parse(row.schedule()))).orElse(now);
                if (!due.isAfter(now)) {
                    startScan(row.name());
                }
            }
        } catch (Exception e) {
            LOG.warn("scheduled discovery scans could not start: {}", e.getMessage());
        }
    }

    private static List<String> strings(String json) {
        List<String> list = new ArrayList<>();
        JsonView.parse(json).forEach(n -> list.add(n.asText()));
        return list;
    }
}
