package io.waymark.catalog.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * {@code waymark ranger-sync --server URL [--token T] [--dry-run]}: asks a running Waymark to push
 * its classifications to Ranger now, or (dry run) prints the ServiceTags document it would send.
 * Exit codes: 0 done, 1 Ranger refused, 2 Waymark could not be asked, 64 bad usage.
 */
public final class RangerCommand {
    private RangerCommand() {}

    public static int run(List<String> args, PrintStream out) throws IOException, InterruptedException {
        ServerClient o = ServerClient.parse(args, List.of("--dry-run"));
        if (!o.has("server")) {
            System.err.println("usage: java -jar waymark.jar ranger-sync --server URL [--token ADMIN_TOKEN] [--dry-run]");
            return 64;
        }
        HttpResponse<String> r = o.http.send(o.request("/api/v1/ranger/sync" + (o.has("dry-run") ? "?dryRun=true" : ""))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        out.println(r.body());
        return r.statusCode() == 200 ? 0 : r.statusCode() == 502 ? 1 : 2;
    }
}
