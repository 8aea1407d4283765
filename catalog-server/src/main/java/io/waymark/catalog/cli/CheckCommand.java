package io.waymark.catalog.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.ApplicationContext;
import io.waymark.catalog.compliance.ComplianceService;
import io.waymark.catalog.governance.GovernanceService;
import io.waymark.catalog.ingest.IngestService;
import io.waymark.catalog.ingest.Json;
import io.waymark.catalog.model.NodeId;
import io.waymark.catalog.projection.Projector;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code waymark check}: evaluates the rule pack for a pipeline's CI. Either a file of events (and
 * optionally a file of annotations and labels) is loaded into a temporary embedded graph, or a
 * running server is asked. Prints a table or JSON; exits 1 when a finding at or above
 * {@code --fail-on} exists (default high), 0 otherwise, 64 on bad usage.
 */
public final class CheckCommand {
    private static final List<String> SEVERITIES = List.of("info", "low", "medium", "high", "critical");
    private static final String USAGE = """
            usage: java -jar waymark.jar check EVENTS.ndjson [--annotations FILE.yaml] [--format table|json] [--fail-on SEVERITY]
                   java -jar waymark.jar check --server URL [--token T] [--format table|json] [--fail-on SEVERITY]
            The token (a steward's or an auditor's) can also come from WAYMARK_TOKEN.""";

    private CheckCommand() {}

    public static int run(List<String> args, PrintStream out) throws Exception {
        Map<String, String> options = new HashMap<>();
        String events = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--")) {
                if (i + 1 >= args.size()) {
                    out.println(USAGE);
                    return 64;
                }
                options.put(a.substring(2), args.get(++i));
            } else {
                events = a;
            }
        }
        String failOn = options.getOrDefault("fail-on", "high");
        String format = options.getOrDefault("format", "table");
        if (!SEVERITIES.contains(failOn) || !(format.equals("table") || format.equals("json")) || (events == null) == !options.containsKey("server")) {
            out.println(USAGE);
            return 64;
        }
        JsonNode findings = options.containsKey("server")
                ? fromServer(options.get("server"), options.getOrDefault("token", System.getenv("WAYMARK_TOKEN")))
                : local(Path.of(events), options.containsKey("annotations") ? Path.of(options.get("annotations")) : null, out);
        if (findings == null) {
            return 66;
        }
        print(findings, format, out);
        int threshold = SEVERITIES.indexOf(failOn);
        for (JsonNode f : findings) {
            if (!f.path("outcome").asText().equals("EXCEPTED") && SEVERITIES.indexOf(f.path("severity").asText()) >= threshold) {
                return 1;
            }
        }
        return 0;
    }

    private static JsonNode local(Path events, Path annotations, PrintStream out) throws Exception {
        if (!Files.isReadable(events) || (annotations != null && !Files.isReadable(annotations))) {
            out.println("cannot read " + (Files.isReadable(events) ? annotations : events));
            return null;
        }
        Path dir = Files.createTempDirectory("waymark-check");
        try (ApplicationContext context = ApplicationContext.builder()
                .properties(Map.of("waymark.data-dir", dir.toString(), "micronaut.banner.enabled", false,
                        // A throwaway catalog no HTTP client reaches: no admin token to generate and print.
                        "waymark.auth.enabled", false, "waymark.monitor.enabled", false, "waymark.alerts.enabled", false,
                        "waymark.retention.enabled", false, "waymark.kafka.enabled", false, "waymark.command", "check")).start()) {
            PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            int imported = ImportCommand.importFile(events, context.getBean(IngestService.class), context.getBean(Projector.class), quiet);
            if (imported == 3) {
                out.println("warning: some lines of " + events + " were refused; run `waymark import` to see which");
            }
            if (annotations != null) {
                apply(context.getBean(GovernanceService.class), annotations);
            }
            context.getBean(Projector.class).awaitCaughtUp(Duration.ofMinutes(10));
            ComplianceService compliance = context.getBean(ComplianceService.class);
            compliance.evaluate();
            return compliance.findings(null, null, null, null, null, false, 10_000).path("findings");
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Applies {annotations: [{dataset|job: {namespace, name}, patch}], labels: [{namespace, dataset, field, code, protection?}]}. */
    private static void apply(GovernanceService governance, Path file) throws Exception {
        Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        JsonNode spec = Json.STRICT.valueToTree(doc);
        for (JsonNode a : spec.path("annotations")) {
            boolean job = a.has("job");
            JsonNode id = job ? a.path("job") : a.path("dataset");
            String key = job ? NodeId.job(id.path("namespace").asText(), id.path("name").asText())
                    : NodeId.dataset(id.path("namespace").asText(), id.path("name").asText());
            if (governance.annotate(job ? "Job" : "Dataset", key, a.path("patch"), "waymark-check", "check annotations file").isEmpty()) {
                throw new IllegalArgumentException("annotations file names " + key + ", which the events do not contain");
            }
        }
        for (JsonNode l : spec.path("labels")) {
            String ns = l.path("namespace").asText();
            String dataset = l.path("dataset").asText();
            governance.classify(NodeId.dataset(ns, dataset), NodeId.field(ns, dataset, l.path("field").asText()), l.path("code").asText(),
                    "waymark-check", "check annotations file", l.path("protection").isTextual() ? l.path("protection").asText() : null, false);
        }
    }

    private static JsonNode fromServer(String url, String token) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        HttpResponse<String> evaluated = http.send(authorised(HttpRequest.newBuilder(URI.create(base + "/api/v1/compliance/evaluations")), token)
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (evaluated.statusCode() != 200) {
            throw new IOException("evaluation failed: HTTP " + evaluated.statusCode() + " " + evaluated.body());
        }
        HttpResponse<String> findings = http.send(authorised(HttpRequest.newBuilder(URI.create(base + "/api/v1/compliance/findings?limit=10000")), token)
                .GET().timeout(Duration.ofMinutes(1)).build(), HttpResponse.BodyHandlers.ofString());
        return Json.STRICT.readTree(findings.body()).path("findings");
    }

    private static HttpRequest.Builder authorised(HttpRequest.Builder request, String token) {
        return token == null || token.isBlank() ? request : request.header("Authorization", "Bearer " + token.strip());
    }

    private static void print(JsonNode findings, String format, PrintStream out) throws IOException {
        if (format.equals("json")) {
            ObjectNode body = Json.STRICT.createObjectNode();
            body.set("findings", findings);
            out.println(Json.STRICT.writerWithDefaultPrettyPrinter().writeValueAsString(body));
            return;
        }
        out.printf("%-9s %-9s %-8s %-40s %s%n", "SEVERITY", "OUTCOME", "REG", "RULE", "SUBJECT");
        for (JsonNode f : findings) {
            out.printf("%-9s %-9s %-8s %-40s %s%n", f.path("severity").asText(), f.path("outcome").asText(), f.path("regulation").asText(),
                    f.path("ruleId").asText(), f.path("nodeId").asText());
        }
        out.println(findings.size() + " finding(s)");
    }
}
