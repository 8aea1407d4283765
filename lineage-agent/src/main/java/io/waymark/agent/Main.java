package io.waymark.agent;

import io.waymark.agent.transport.Emitter;
import io.waymark.agent.transport.Sender;
import io.waymark.agent.transport.Spool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code java -jar waymark-agent.jar run … -- command} and {@code … flush}: the wrapper that
 * reports any command as a run, and the command that re-sends a spool.
 */
public final class Main {
    private static final String USAGE = """
            usage:
              java -jar waymark-agent.jar run --url URL [--token T] --namespace NS --job NAME
                    [--input NS:NAME]... [--output NS:NAME]... [--spool DIR] -- command [args...]
              java -jar waymark-agent.jar flush --url URL [--token T] --spool DIR
              java -javaagent:waymark-agent.jar=url=URL,namespace=NS[,job=NAME][,token=T][,spool=DIR] -jar pipeline.jar
            Settings may also come from WAYMARK_URL, WAYMARK_TOKEN, WAYMARK_NAMESPACE, WAYMARK_SPOOL … or a
            properties file (WAYMARK_CONFIG).""";
    private static final int STDERR_TAIL = 4096;

    private Main() {}

    public static void main(String[] args) {
        int code;
        try {
            code = run(args);
        } catch (IllegalArgumentException e) {
            System.err.println("waymark-agent: " + e.getMessage());
            System.err.println(USAGE);
            code = 2;
        }
        System.exit(code);
    }

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        List<String> command = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                command.addAll(List.of(args).subList(i + 1, args.length));
                break;
            }
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String value = args[++i];
            switch (a) {
                case "--input" -> inputs.add(value);
                case "--output" -> outputs.add(value);
                case "--url", "--token", "--namespace", "--job", "--spool", "--config" -> options.put(a.substring(2), value);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        // Options win over the environment.
        AgentConfig config = AgentConfig.from(null, System.getenv());
        Map<String, String> merged = new LinkedHashMap<>();
        for (String k : List.of("url", "token", "namespace", "job", "spool", "spoolMaxMb", "exitTimeoutMs", "timeoutMs", "parentRunId",
                "parentJobNamespace", "parentJobName")) {
            String v = options.containsKey(k) ? options.get(k) : config.get(k);
            if (v != null) {
                merged.put(k, v);
            }
        }
        config = AgentConfig.of(merged);
        return switch (args[0]) {
            case "run" -> wrap(config, command, inputs, outputs);
            case "flush" -> flush(config);
            default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'");
        };
    }

    private static int flush(AgentConfig config) {
        if (config.get("spool") == null) {
            throw new IllegalArgumentException("flush needs --spool DIR");
        }
        Spool spool = new Spool(config.spool(), config.spoolMaxBytes());
        AtomicLong delivered = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        try (Sender sender = new Sender(config.url(), config.get("token"), 10_000)) {
            boolean clear = Emitter.resend(spool, sender, delivered, refused);
            int left = spool.pending().size();
            System.out.printf("delivered %d, refused %d, left in %s: %d%n", delivered.get(), refused.get(), spool.dir(), left);
            return clear ? 0 : 1;
        }
    }

    private static int wrap(AgentConfig config, List<String> command, List<String> inputs, List<String> outputs) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("run needs a command after --");
        }
        if (config.get("job") == null) {
            throw new IllegalArgumentException("run needs --job NAME");
        }
        RunLineage lineage = new RunLineage();
        inputs.forEach(i -> lineage.declare(dataset(i), false));
        outputs.forEach(o -> lineage.declare(dataset(o), true));
        Duration budget = config.exitTimeout();
        Emitter emitter = new Emitter(new Sender(config.url(), config.get("token"), (int) config.getLong("timeoutMs", 10_000)),
                new Spool(config.spool(), config.spoolMaxBytes()));
        RunReporter reporter = new RunReporter(emitter, config, config.namespace(), config.get("job"), "WAYMARK_WRAPPER");
        reporter.start(lineage.snapshot());
        long started = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            System.err.println("waymark-agent: cannot start " + command.get(0) + ": " + e.getMessage());
            report(reporter, emitter, lineage, 127, "cannot start " + command.get(0) + ": " + e.getMessage(), "", started, budget);
            return 127;
        }
        Tail tail = new Tail(process.getErrorStream());
        tail.start();
        // SIGTERM/SIGINT to the wrapper: pass it on and report the run as failed. Exactly one of the
        // two paths reports: the shutdown hook when a signal came first, the main thread when the
        // command ended on its own (then the hook waits for that report before the JVM halts).
        java.util.concurrent.atomic.AtomicInteger state = new java.util.concurrent.atomic.AtomicInteger(); // 0 running, 1 ended, 2 signalled
        java.util.concurrent.CountDownLatch reported = new java.util.concurrent.CountDownLatch(1);
        Thread onSignal = new Thread(() -> {
            if (!state.compareAndSet(0, 2)) {
                try {
                    reported.await(budget.toMillis() + 1000, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            process.destroy();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
                tail.join(1000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            int status = process.isAlive() ? 137 : process.exitValue();
            report(reporter, emitter, lineage, status == 0 ? 143 : status, "terminated by a signal", tail.text(), started, budget);
        }, "waymark-agent-signal");
        Runtime.getRuntime().addShutdownHook(onSignal);
        int status;
        try {
            status = process.waitFor();
            tail.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 130;
        }
        if (!state.compareAndSet(0, 1)) {
            // A signal came first: the shutdown hook reports; exiting waits for it.
            return status;
        }
        String message = status == 0 ? null : "exit code " + status + (tail.text().isBlank() ? "" : ": " + lastLine(tail.text()));
        report(reporter, emitter, lineage, status, message, tail.text(), started, budget);
        reported.countDown();
        return status;
    }

    private static void report(RunReporter reporter, Emitter emitter, RunLineage lineage, int status, String message, String stderrTail,
                               long started, Duration budget) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("durationMs", (System.nanoTime() - started) / 1_000_000);
        if (!stderrTail.isEmpty()) {
            extra.put("stderrTail", stderrTail);
        }
        reporter.finish(lineage.snapshot(), status, message, null, extra, budget.dividedBy(2));
        emitter.close(budget.dividedBy(2));
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }

    /** NS:NAME, split at the last colon (namespaces such as postgres://host:5432 hold colons). */
    static RunLineage.Dataset dataset(String spec) {
        int colon = spec.lastIndexOf(':');
        if (colon <= 0 || colon == spec.length() - 1) {
            throw new IllegalArgumentException("a dataset is NAMESPACE:NAME, got '" + spec + "'");
        }
        return new RunLineage.Dataset(spec.substring(0, colon), spec.substring(colon + 1));
    }

    /** Copies the child's stderr through and keeps its last few kilobytes. */
    private static final class Tail extends Thread {
        private final InputStream in;
        private final byte[] ring = new byte[STDERR_TAIL];
        private long total;

        Tail(InputStream in) {
            super("waymark-agent-stderr");
            setDaemon(true);
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    System.err.write(buffer, 0, n);
                    System.err.flush();
                    synchronized (ring) {
                        for (int i = 0; i < n; i++) {
                            ring[(int) (total++ % STDERR_TAIL)] = buffer[i];
                        }
                    }
                }
            } catch (IOException ignored) {
                // The child closed its stderr.
            }
        }

        String text() {
            synchronized (ring) {
                int size = (int) Math.min(total, STDERR_TAIL);
                byte[] out = new byte[size];
                long start = total - size;
                for (int i = 0; i < size; i++) {
                    out[i] = ring[(int) ((start + i) % STDERR_TAIL)];
                }
                return new String(out, StandardCharsets.UTF_8);
            }
        }
    }
}
