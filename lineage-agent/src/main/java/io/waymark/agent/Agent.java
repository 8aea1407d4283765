package io.waymark.agent;

import io.waymark.agent.jdbc.JdbcHook;
import io.waymark.agent.jdbc.JdbcInstrumentation;
import io.waymark.agent.transport.Emitter;
import io.waymark.agent.transport.Sender;
import io.waymark.agent.transport.Spool;

import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code -javaagent:waymark-agent.jar=url=…,namespace=…}: reports the JVM as one run of a job
 * and its JDBC statements as the run's lineage. Nothing here may hurt the host: every failure is
 * caught and reported on stderr once, the agent's threads are daemons, and at exit it waits for
 * Waymark at most exitTimeoutMs (2 s) before spooling what is left.
 */
public final class Agent {
    private static volatile Throwable uncaught;

    private Agent() {}

    public static void premain(String args, Instrumentation instrumentation) {
        try {
            AgentConfig config = AgentConfig.from(args, System.getenv());
            if (config.disabled()) {
                return;
            }
            start(config, instrumentation);
        } catch (Throwable t) {
            warn("lineage reporting is off: " + t);
        }
    }

    public static void agentmain(String args, Instrumentation instrumentation) {
        premain(args, instrumentation);
    }

    private static void start(AgentConfig config, Instrumentation instrumentation) {
        boolean debug = Boolean.parseBoolean(config.get("debug", "false"));
        long t0 = System.nanoTime();
        // Instrument first: JDBC classes the host loads from now on are woven as they load.
        JdbcInstrumentation.install(instrumentation);
        long t1 = System.nanoTime();
        try {
            ExitStatus.install(instrumentation);
            if (debug) {
                warn("JDBC instrumentation " + (t1 - t0) / 1_000_000 + " ms, exit status " + (System.nanoTime() - t1) / 1_000_000 + " ms");
            }
        } catch (Throwable t) {
            // Without it a System.exit(n) status is unknown; the run still reports, as exit 0 or an uncaught error.
            warn("exit status will not be seen: " + t);
        }
        Duration exitTimeout = config.exitTimeout();
        // Sending happens on the agent's thread, so a slow Waymark costs the host nothing; at exit
        // the emitter's deadline, not this timeout, bounds the wait.
        Sender sender = new Sender(config.url(), config.get("token"), (int) config.getLong("timeoutMs", 10_000));
        Emitter emitter = new Emitter(sender, new Spool(config.spool(), config.spoolMaxBytes()));
        RunReporter reporter = new RunReporter(emitter, config, config.namespace(), config.get("job", defaultJobName()), "WAYMARK_AGENT");
        LineageCollector collector = new LineageCollector(reporter, config.runningInterval());
        JdbcHook.onDescribed(collector::described);
        // Closing connections may wait for the parse as the exit does, from a budget of their own.
        JdbcHook.onClosing(collector::drain, exitTimeout.dividedBy(4));
        JdbcHook.install(collector::offer);
        reporter.start(collector.lineage().snapshot());

        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            if (thread.getName().equals("main")) {
                uncaught = error;
            }
            if (previous != null) {
                previous.uncaughtException(thread, error);
            } else {
                // What the JVM prints without a handler (ThreadGroup's default would call us again).
                System.err.print("Exception in thread \"" + thread.getName() + "\" ");
                error.printStackTrace(System.err);
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> finish(config, collector, reporter, emitter, exitTimeout), "waymark-agent-exit"));
        if (debug) {
            warn("premain " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        }
    }

    private static void finish(AgentConfig config, LineageCollector collector, RunReporter reporter, Emitter emitter, Duration budget) {
        try {
            long started = System.nanoTime();
            boolean debug = Boolean.parseBoolean(config.get("debug", "false"));
            collector.drain(budget.dividedBy(4));
            Throwable error = uncaught;
            Integer requested = ExitStatus.requested();
            int status = requested != null ? requested : error != null ? 1 : 0;
            Map<String, Object> extra = new LinkedHashMap<>();
            if (collector.dropped() > 0) {
                extra.put("statementsNotAnalysed", collector.dropped());
            }
            // The final event may wait behind the START still being built (a short job can end before
            // the agent's first event is): it gets the budget but for a share kept for spooling what
            // is not sent by then; an event not built in time is lost with the JVM.
            Duration left = budget.minusNanos(System.nanoTime() - started).minus(Emitter.spoolingShare(budget));
            reporter.finish(collector.lineage().snapshot(), status, null, error, extra, left.isNegative() ? Duration.ZERO : left);
            long built = System.nanoTime();
            emitter.close(budget.minusNanos(System.nanoTime() - started));
            if (debug) {
                warn("exit: final event " + (built - started) / 1_000_000 + " ms, sending " + (System.nanoTime() - built) / 1_000_000 + " ms");
            }
            if (emitter.spool().dropped() > 0) {
                warn(emitter.spool().dropped() + " event(s) lost: the spool " + emitter.spool().dir() + " is full or not writable");
            }
        } catch (Throwable t) {
            warn("the run's final event was not sent: " + t);
        }
    }

    /** The main class, or the jar's file name without .jar, as the java command line names it. */
    static String defaultJobName() {
        String command = System.getProperty("sun.java.command", "").trim();
        String first = command.isEmpty() ? "jvm" : command.split("\\s+")[0];
        if (first.endsWith(".jar")) {
            String file = Path.of(first).getFileName().toString();
            return file.substring(0, file.length() - 4);
        }
        return first;
    }

    static void warn(String message) {
        System.err.println("[waymark-agent] " + message);
    }
}
