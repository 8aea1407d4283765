package io.waymark.catalog.projection;

import java.util.function.Supplier;

/**
 * Per statement of the batch being written, when DEBUG logging asks for it (BatchCommits logs them
 * with the batch): where projection time goes. Off, it costs a thread-local read per statement.
 */
final class StatementTimings {
    private static final ThreadLocal<StringBuilder> CURRENT = new ThreadLocal<>();

    private StatementTimings() {}

    /** Collects into {@code into} until {@link #stop}; null collects nothing. */
    static void start(StringBuilder into) {
        if (into != null) {
            into.setLength(0);
            CURRENT.set(into);
        }
    }

    static void stop() {
        CURRENT.remove();
    }

    /** Records a statement (named by its first line past UNWIND) that began at {@code started}. */
    static void record(String statement, int rows, long started) {
        StringBuilder timings = CURRENT.get();
        if (timings != null) {
            String name = statement.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("UNWIND") && !l.startsWith("//"))
                    .findFirst().orElse("?");
            timings.append("\n    ").append((System.nanoTime() - started) / 1_000_000).append(" ms ").append(rows).append(" rows: ")
                    .append(name, 0, Math.min(name.length(), 70));
        }
    }

    /** Runs a step of several statements and records it under {@code name}. */
    static <T> T timed(String name, int rows, Supplier<T> step) {
        long started = System.nanoTime();
        T result = step.get();
        record(name, rows, started);
        return result;
    }
}
