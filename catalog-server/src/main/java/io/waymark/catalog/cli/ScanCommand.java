package io.waymark.catalog.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;

/**
 * {@code waymark scan --server URL [--token T] --jdbc-url URL [--name N] [--user U] [--password-env VAR]
 * [--include P,Q] [--exclude P,Q] [--sample-size N]}: registers the database with a running Waymark
 * (or reuses the connection of that name and URL), scans it and shows the scan's progress, then
 * what it found and what changed since the last scan. The password is only ever named by an
 * environment variable of the server: a command line is visible to every user of the machine.
 * Exit codes: 0 scanned, 1 the scan failed, 2 Waymark refused, 64 bad usage.
 */
public final class ScanCommand {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USAGE = "usage: java -jar waymark.jar scan --server URL [--token ADMIN_TOKEN] --jdbc-url URL [--name NAME] [--user USER]"
            + " [--password-env VAR] [--include P,Q] [--exclude P,Q] [--sample-size N]";

    private ScanCommand() {}

    public static int run(List<String> args, PrintStream out) throws IOException, InterruptedException {
        ServerClient o = ServerClient.parse(args, List.of());
        if (!o.has("server") || !o.has("jdbc-url") || o.has("password")) {
            System.err.println(o.has("password") ? "--password is not accepted: name an environment variable of the server with --password-env" : USAGE);
            return 64;
        }
        String url = o.get("jdbc-url");
        String name = o.get("name", defaultName(url));
        HttpResponse<String> existing = send(o, o.request("/api/v1/connections/" + ServerClient.enc(name)).GET());
        if (existing.statusCode() == 200 && !JSON.readTree(existing.body()).path("jdbcUrl").asText().equals(url)) {
            out.println("a connection named '" + name + "' exists for another database; choose another --name");
            return 2;
        }
        if (existing.statusCode() == 404) {
            ObjectNode body = JSON.createObjectNode().put("name", name).put("jdbcUrl", url);
            if (o.has("user")) {
                body.put("user", o.get("user"));
            }
            if (o.has("password-env")) {
                body.put("passwordEnv", o.get("password-env"));
            }
            for (String list : new String[] {"include", "exclude"}) {
                if (o.has(list)) {
                    var array = body.putArray(list);
                    for (String p : o.get(list).split(",")) {
                        array.add(p.strip());
                    }
                }
            }
            if (o.has("sample-size")) {
                body.put("sampleSize", Integer.parseInt(o.get("sample-size")));
            }
            HttpResponse<String> created = send(o, o.request("/api/v1/connections").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
            if (created.statusCode() != 201) {
                out.println("Waymark refused the connection: " + created.body());
                return 2;
            }
        } else if (existing.statusCode() != 200) {
            out.println("Waymark answered " + existing.statusCode() + ": " + existing.body());
            return 2;
        }
        HttpResponse<String> started = send(o, o.request("/api/v1/connections/" + ServerClient.enc(name) + "/scans").POST(HttpRequest.BodyPublishers.noBody()));
        if (started.statusCode() != 202) {
            out.println("Waymark refused the scan: " + started.body());
            return 2;
        }
        String id = JSON.readTree(started.body()).path("id").asText();
        JsonNode scan;
        do {
            Thread.sleep(500);
            scan = JSON.readTree(send(o, o.request("/api/v1/connections/" + ServerClient.enc(name) + "/scans/" + id).GET()).body());
            progress(out, scan);
        } while (scan.path("state").asText().equals("RUNNING"));
        out.println();
        if (!scan.path("state").asText().equals("SUCCEEDED")) {
            out.println("scan failed: " + scan.path("error").asText());
            return 1;
        }
        out.println("scanned " + scan.path("tables").asInt() + " tables and views, " + scan.path("columns").asInt() + " columns of '" + name + "'");
        for (JsonNode change : scan.path("changes")) {
            out.println("  " + change.path("change").asText() + " " + change.path("dataset").asText()
                    + (change.has("column") ? "." + change.path("column").asText() : "")
                    + (change.has("to") ? " " + change.path("from").asText() + " -> " + change.path("to").asText() : ""));
        }
        return 0;
    }

    private static HttpResponse<String> send(ServerClient o, HttpRequest.Builder request) throws IOException, InterruptedException {
        return o.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A connection name from the URL: the database (or file) name, made safe. */
    static String defaultName(String url) {
        String tail = url.replaceFirst("\\?.*$", "").replaceFirst("^.*[/:]", "");
        String safe = tail.replaceAll("[^A-Za-z0-9_.-]", "-").replaceAll("^[^A-Za-z0-9]+", "");
        return safe.isEmpty() ? "scan" : safe.substring(0, Math.min(64, safe.length()));
    }

    private static void progress(PrintStream out, JsonNode scan) {
        int width = 30;
        double p = scan.path("progress").asDouble();
        int filled = (int) Math.min(width, Math.round(width * p));
        out.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + String.format(Locale.ROOT, "%3d%%", Math.round(100 * p)) + "  "
                + scan.path("tables").asInt() + " tables, " + scan.path("columns").asInt() + " columns");
        out.flush();
    }
}
