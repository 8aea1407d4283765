package io.waymark.catalog.cli;

import io.waymark.catalog.audit.AuditLog;
import io.waymark.catalog.auth.ApiTokens;
import io.waymark.catalog.config.WaymarkConfig;
import io.waymark.catalog.ingest.InvalidEventException;
import io.waymark.catalog.journal.Journal;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * {@code waymark token create --role R --name N [--data-dir DIR]}: creates an API token in the
 * data directory's journal and prints it (to stdout, alone, so scripts can capture it). Works
 * with the server running: only the journal database is opened, never the graph.
 */
public final class TokenCommand {
    private TokenCommand() {}

    public static int run(List<String> args, Map<String, Object> props, PrintStream out) {
        String role = null;
        String name = null;
        String sub = args.isEmpty() ? "" : args.get(0);
        for (int i = 1; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--role" -> role = i + 1 < args.size() ? args.get(++i) : null;
                case "--name" -> name = i + 1 < args.size() ? args.get(++i) : null;
                default -> {
                    System.err.println("unknown option " + args.get(i));
                    return 64;
                }
            }
        }
        if (!sub.equals("create") || role == null || name == null) {
            System.err.println("usage: java -jar waymark.jar token create --role admin|steward|auditor|viewer|producer --name NAME [--data-dir DIR]");
            return 64;
        }
        WaymarkConfig config = new WaymarkConfig();
        if (props.get("waymark.data-dir") != null) {
            config.setDataDir(String.valueOf(props.get("waymark.data-dir")));
        }
        String user = System.getProperty("user.name", "unknown");
        try (Journal journal = new Journal(config)) {
            ApiTokens tokens = new ApiTokens(journal, new AuditLog(journal), config, System.getenv("WAYMARK_ADMIN_TOKEN"), true);
            Map<String, Object> created = tokens.create(name, role, "cli:" + user, "admin", null);
            out.println(created.get("token"));
            System.err.println("created token " + created.get("id") + " '" + created.get("name") + "' with role " + role);
            return 0;
        } catch (InvalidEventException e) {
            System.err.println(e.field() + ": " + e.detail());
            return 64;
        }
    }
}
