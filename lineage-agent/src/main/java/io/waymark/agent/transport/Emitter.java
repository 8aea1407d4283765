package io.waymark.agent.transport;

import io.openlineage.client.OpenLineage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers events in the order they were produced without ever making the host wait: emit()
 * only queues (a full queue spools instead), one daemon thread sends. Before sending anything
 * new it re-sends what the spool holds, oldest first, and while the spool is not empty new events
 * go behind it, so Waymark sees them in order. When Waymark is unreachable or answers 5xx the
 * event is spooled durably. close() gives sending a deadline and spools what is left.
 */
public final class Emitter {
    /**
     * An event as JSON (what the spool keeps) and, when it was made in this JVM, as the client's
     * model too: sending it then skips reading the JSON back (on a cold JVM that first read cost
     * 130-180 ms, at a short job's exit).
     */
    private record Outgoing(String json, OpenLineage.RunEvent event) {}

    private final Sender sender;
    private final Spool spool;
    private final BlockingQueue<Outgoing> queue = new ArrayBlockingQueue<>(1000);
    private final Thread worker;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final Object idle = new Object();
    private volatile Outgoing inFlight;
    private volatile boolean closing;
    /** close() has spooled what was left; guarded by {@code idle}. */
    private boolean closed;

    public Emitter(Sender sender, Spool spool) {
        this.sender = sender;
        this.spool = spool;
        this.worker = new Thread(this::work, "waymark-agent-emitter");
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * Queues the event; after close() (or with the queue full) spools it, behind everything queued
     * or in flight: until close() has spooled those, an event emitted while it runs still queues.
     */
    public void emit(OpenLineage.RunEvent event, String json) {
        synchronized (idle) {
            if (!closed && queue.offer(new Outgoing(json, event))) {
                idle.notifyAll();
                return;
            }
            spool.add(json);
        }
    }

    public long delivered() {
        return delivered.get();
    }

    public long refused() {
        return refused.get();
    }

    public Spool spool() {
        return spool;
    }

    private void work() {
        boolean spoolChecked = false;
        while (true) {
            Outgoing next;
            // Taking an event and marking it in flight happen under one lock, so close() never sees
            // an event that is neither queued nor in flight (and would be lost at exit).
            synchronized (idle) {
                next = queue.poll();
                inFlight = next;
                if (next == null) {
                    idle.notifyAll();
                    if (closing) {
                        return;
                    }
                    try {
                        idle.wait(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
            }
            // What an earlier outage left behind goes first (once per run, and again after any failure).
            boolean spoolClear = spoolChecked ? spool.isEmpty() : resend(spool, sender, delivered, refused);
            spoolChecked = true;
            if (!spoolClear) {
                spool.add(next.json());
                spoolChecked = false;
            } else {
                deliver(next);
            }
            synchronized (idle) {
                inFlight = null;
                idle.notifyAll();
            }
        }
    }

    private void deliver(Outgoing outgoing) {
        switch (sender.send(outgoing.json(), outgoing.event())) {
            case DELIVERED -> delivered.incrementAndGet();
            case REFUSED -> refused.incrementAndGet();
            case RETRY -> spool.add(outgoing.json());
        }
    }

    /**
     * Sends the spooled events oldest first, removing each once delivered (or refused for good);
     * stops at the first that must wait. True when the spool is empty afterwards.
     */
    public static boolean resend(Spool spool, Sender sender, AtomicLong delivered, AtomicLong refused) {
        boolean[] clear = {false};
        spool.locked(() -> {
            for (Path file : spool.pending()) {
                try {
                    Sender.Outcome outcome = sender.send(Spool.read(file));
                    if (outcome == Sender.Outcome.RETRY) {
                        return;
                    }
                    (outcome == Sender.Outcome.DELIVERED ? delivered : refused).incrementAndGet();
                    spool.remove(file);
                } catch (java.io.IOException e) {
                    return;
                }
            }
            clear[0] = true;
        });
        return clear[0];
    }

    /** The share of an exit budget kept for spooling what could not be sent: a quarter, at most 300 ms. */
    public static Duration spoolingShare(Duration budget) {
        Duration quarter = budget.dividedBy(4);
        return quarter.compareTo(Duration.ofMillis(300)) < 0 ? quarter : Duration.ofMillis(300);
    }

    /**
     * Lets the worker send what is queued until {@code timeout} runs out, then spools whatever it
     * did not get to (including an event in flight: Waymark drops an exact duplicate, so an event
     * both sent and spooled is still recorded once).
     */
    public void close(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long sendUntil = deadline - spoolingShare(timeout).toNanos();
        closing = true;
        synchronized (idle) {
            while ((!queue.isEmpty() || inFlight != null) && System.nanoTime() < sendUntil) {
                try {
                    idle.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(sendUntil - System.nanoTime())) );
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        List<Outgoing> left = new ArrayList<>();
        synchronized (idle) {
            Outgoing current = inFlight;
            if (current != null) {
                left.add(current);
            }
            queue.drainTo(left);
            left.forEach(o -> spool.add(o.json()));
            closed = true;
        }
        worker.interrupt();
        sender.close();
    }
}
