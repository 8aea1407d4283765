package io.waymark.catalog.cli;

import io.micronaut.context.ApplicationContext;
import io.waymark.catalog.audit.AuditLog;
import io.waymark.catalog.ingest.Json;
import io.waymark.catalog.retention.Retention;
import io.waymark.catalog.retention.RetentionPolicy;

import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code waymark retention [--older-than P90D [--namespace GLOB]] [--findings P] [--incidents P] [--audit P] [--dry-run]}:
 * purges what is past retention (options not given fall back to the configured policy). With
 * {@code --server URL} a running Waymark does it (admin token); otherwise it runs on the data
 * directory of a stopped one, like {@code rebuild}. Prints the counts as JSON. Exit codes: 0 done,
 * 1 refused, 2 Waymark could not be asked, 64 bad usage.
 */
public final class RetentionCommand {
    static final String USAGE = "usage: java -jar waymark.jar retention [--older-than P90D [--namespace GLOB]] [--findings P365D] "
            + "[--incidents P180D] [--audit P2555D] [--dry-run] [--server URL [--token ADMIN_TOKEN] | --data-dir DIR]";
    private static final List<String> OPTIONS = List.of("older-than", "namespace", "findings", "incidents", "audit", "dry-run", "server", "token");

    private RetentionCommand() {}

    public static int run(List<String> args, Map<String, Object> props, PrintStream out) throws Exception {
        ServerClient o = ServerClient.parse(args, List.of("--dry-run"));
        List<String> unknown = args.stream().filter(a -> a.startsWith("--") && !OPTIONS.contains(a.substring(2))).toList();
        if (!o.positional().isEmpty() || !unknown.isEmpty()) {
            System.err.println((unknown.isEmpty() ? "unexpected " + o.positional() : "unknown option " + unknown.get(0)) + "\n" + USAGE);
            return 64;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("olderThan", o.get("older-than"));
        body.put("namespace", o.get("namespace"));
        body.put("findings", o.get("findings"));
        body.put("incidents", o.get("incidents"));
        body.put("audit", o.get("audit"));
        body.put("dryRun", o.has("dry-run"));
        if (o.has("server")) {
            HttpResponse<String> r = o.http.send(o.request("/api/v1/retention/purge").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.STRICT.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
            out.println(r.body());
            return r.statusCode() == 200 ? 0 : r.statusCode() == 400 || r.statusCode() == 403 ? 1 : 2;
        }
        Retention.Request request;
        try {
            request = new Retention.Request(period("older-than", o), o.get("namespace"), period("findings", o), period("incidents", o),
                    period("audit", o), o.has("dry-run"));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + "\n" + USAGE);
            return 64;
        }
        try (ApplicationContext context = ApplicationContext.builder().properties(props).start()) {
            return purge(request, context, out);
        }
    }

    /** The offline purge on a started context: validated, run, audited as the CLI, counts printed. */
    static int purge(Retention.Request request, ApplicationContext context, PrintStream out) throws java.io.IOException {
        Retention retention = context.getBean(Retention.class);
        try {
            retention.effective(request);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        Map<String, Object> counts = retention.purge(request, "cli");
        context.getBean(AuditLog.class).record(new AuditLog.Entry("cli", "admin", request.dryRun() ? "retention.dry-run" : "retention.purge",
                "journal", counts, "local"));
        out.println(Json.STRICT.writerWithDefaultPrettyPrinter().writeValueAsString(counts));
        return 0;
    }

    private static Duration period(String option, ServerClient o) {
        return o.has(option) ? RetentionPolicy.duration("--" + option, o.get(option)) : null;
    }
}
