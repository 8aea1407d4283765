package io.waymark.catalog.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress line for long commands (rebuild): done/total, rate and time left. On a terminal the
 * line is redrawn every second; in a log (no console) a new line every ten seconds, so a CI log or
 * a systemd journal does not fill with carriage returns.
 */
final class Progress implements AutoCloseable {
    private final Thread thread;
    private volatile boolean running = true;

    Progress(String what, long start, long total, LongSupplier position, PrintStream out) {
        boolean terminal = System.console() != null;
        long startedAt = System.nanoTime();
        thread = new Thread(() -> {
            try {
                while (running) {
                    Thread.sleep(terminal ? 1_000 : 10_000);
                    String line = line(what, position.getAsLong() - start, total - start, System.nanoTime() - startedAt);
                    out.print(terminal ? "\r" + line + "   " : line + System.lineSeparator());
                    out.flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "waymark-progress");
        thread.setDaemon(true);
        thread.start();
    }

    static String line(String what, long done, long total, long elapsedNanos) {
        double seconds = elapsedNanos / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        String left = rate > 0 && done < total ? String.format(Locale.ROOT, ", about %d s left", Math.round((total - done) / rate)) : "";
        return String.format(Locale.ROOT, "%s: %,d of %,d events (%d %%), %,.0f events/s%s",
                what, done, total, total > 0 ? Math.min(100, done * 100 / total) : 100, rate, left);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(1_000);
    }
}
