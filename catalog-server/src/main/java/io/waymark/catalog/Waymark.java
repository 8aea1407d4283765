package io.waymark.catalog;

import io.waymark.catalog.cli.CheckCommand;
import io.waymark.catalog.cli.ImportCommand;
import io.waymark.catalog.cli.RangerCommand;
import io.waymark.catalog.cli.RebuildCommand;
import io.waymark.catalog.cli.ReportCommand;
import io.waymark.catalog.cli.TokenCommand;
import io.micronaut.runtime.Micronaut;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The one entry point of waymark.jar: {@code serve}, {@code import}, {@code rebuild}, {@code check}, {@code token}, {@code report}, {@code verify}. */
public final class Waymark {
    private static final String USAGE = """
            usage: java -jar waymark.jar <command> [options]
              serve   [--port N] [--data-dir DIR]     run the catalog (embedded Neo4j + SQLite under DIR, default ./data)
              import  FILE.ndjson [--data-dir DIR]    append OpenLineage events (one per line) to the journal and project them
              rebuild [--data-dir DIR]                empty the graph and replay the whole journal into it
              retention [--older-than P90D [--namespace GLOB]] [--findings P] [--incidents P] [--audit P] [--dry-run]
                      [--server URL [--token T] | --data-dir DIR]
                                                      purge what is past retention; rebuild still makes today's graph
              check   EVENTS.ndjson [--annotations FILE] [--format table|json] [--fail-on SEVERITY]
              check   --server URL [--format table|json] [--fail-on SEVERITY]
                                                      evaluate the rule pack; exit 1 on a finding at or above --fail-on
              report  REGULATION --server URL [--token T] [--format pdf|csv|json] [--as-of T] [--out FILE]
                                                      fetch a signed compliance report (GDPR, HIPAA, SOX, PCI-DSS or ALL)
              verify  FILE [NEXT_FILE…] (--key PEM | --server URL [--token T])
                                                      check a report's signature, content and place in the chain
              ranger-sync --server URL [--token T] [--dry-run]
                                                      push classifications to Apache Ranger as tags (or print the payload)
              scan    --server URL [--token T] --jdbc-url URL [--name N] [--user U] [--password-env VAR]
                      [--include P,Q] [--exclude P,Q] [--sample-size N]
                                                      register a database, scan it with a progress bar, list what changed
              token   create --role ROLE --name NAME [--data-dir DIR]
                                                      create an API token (roles: admin steward auditor viewer producer)
              graph-server --home DIR [--bolt-port 7687] [--page-cache 256m]
                                                      run the embedded Neo4j on its own, the graph replicas share (127.0.0.1)
            Settings can also come from WAYMARK_* environment variables (see README).""";

    private Waymark() {}

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "serve" : args[0];
        Map<String, Object> props = new HashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> props.put("micronaut.server.port", Integer.parseInt(value(args, ++i, "--port")));
                case "--data-dir" -> props.put("waymark.data-dir", value(args, ++i, "--data-dir"));
                case "-h", "--help" -> command = "help";
                default -> positional.add(args[i]);
            }
        }
        // Beans that only the server needs (ReadWarmup) read which command runs.
        props.put("waymark.command", command);
        if (!command.equals("serve")) {
            // Only the server watches and alerts: an import or a rebuild on the same data directory must
            // not run checks or send notifications of its own (they would duplicate the server's).
            props.put("waymark.monitor.enabled", false);
            props.put("waymark.alerts.enabled", false);
            props.put("waymark.retention.enabled", false);
            // Nor consume Kafka: a short-lived command in the group would take partitions and commit their offsets.
            props.put("waymark.kafka.enabled", false);
        }
        switch (command) {
            case "serve" -> Micronaut.build(new String[0]).mainClass(Waymark.class).properties(props).start();
            case "import" -> System.exit(ImportCommand.run(positional, props));
            case "rebuild" -> System.exit(RebuildCommand.run(props));
            case "retention" -> System.exit(io.waymark.catalog.cli.RetentionCommand.run(positional, props, System.out));
            case "check" -> System.exit(CheckCommand.run(List.of(args).subList(1, args.length), System.out));
            case "token" -> System.exit(TokenCommand.run(positional, props, System.out));
            case "report" -> System.exit(ReportCommand.report(List.of(args).subList(1, args.length), System.out));
            case "verify" -> System.exit(ReportCommand.verify(List.of(args).subList(1, args.length), System.out));
            case "ranger-sync" -> System.exit(RangerCommand.run(List.of(args).subList(1, args.length), System.out));
            case "scan" -> System.exit(io.waymark.catalog.cli.ScanCommand.run(List.of(args).subList(1, args.length), System.out));
            case "graph-server" -> System.exit(io.waymark.catalog.cli.GraphServerCommand.run(List.of(args).subList(1, args.length), System.out));
            case "help", "-h", "--help" -> System.out.println(USAGE);
            default -> {
                System.err.println("unknown command '" + command + "'\n" + USAGE);
                System.exit(64);
            }
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            System.err.println(option + " needs a value\n" + USAGE);
            System.exit(64);
        }
        return args[i];
    }
}
