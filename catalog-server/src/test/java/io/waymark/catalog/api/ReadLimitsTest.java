package io.waymark.catalog.api;

import io.waymark.catalog.config.WaymarkConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadLimitsTest {
    @Test
    void aReadThatFindsNoTurnInTimeIsRefusedNotQueuedForever() throws Exception {
        ReadLimits limits = oneTurn(Duration.ofMillis(200));
        CountDownLatch release = new CountDownLatch(1);
        Thread slow = holdTurn(limits, release);
        ReadLimits.Busy busy = assertThrows(ReadLimits.Busy.class, () -> limits.run(() -> "never"));
        assertTrue(busy.getMessage().contains("busy"), busy.getMessage());
        assertTrue(busy.getMessage().contains("200 ms"), "the limit as set: " + busy.getMessage());
        release.countDown();
        slow.join();
        assertEquals("now", limits.run(() -> "now"), "the turn is free again");
    }

    /**
     * A GET answer is made within one turn ({@link ReadTurn}); the reads it makes meanwhile must not
     * wait for a second turn, or one turn per reader would leave none for the reads inside.
     */
    @Test
    void aReadWithinATurnTakesNoSecondTurn() {
        WaymarkConfig config = new WaymarkConfig();
        config.setReadConcurrency(1);
        config.setReadTimeout(Duration.ofMillis(200));
        ReadLimits limits = new ReadLimits(config, new io.waymark.catalog.ops.Metrics());
        assertEquals("inner", limits.run(() -> limits.run(() -> "inner")));
        assertEquals("again", limits.run(() -> "again"), "the one turn is free after the outer read");
    }

    /** Passes answers through as they are, counting shares and copies: strings need no copy. */
    private static final class Counted implements ReadLimits.Sharing<String> {
        final java.util.concurrent.atomic.AtomicInteger sharedJoined = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger copies = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public Object share(String answer, boolean joined) {
            if (joined) {
                sharedJoined.incrementAndGet();
            }
            return answer;
        }

        @Override
        public String copy(Object shared) {
            copies.incrementAndGet();
            return (String) shared;
        }
    }

    /** A read of /a under way, until {@code finish} is counted down; {@code reads} counts it and those after it. */
    private record HeldRead(java.util.concurrent.atomic.AtomicInteger reads, CountDownLatch finish, java.util.concurrent.Future<String> first) {
        static HeldRead start(ReadLimits limits, java.util.concurrent.ExecutorService clients, Counted sharing) throws InterruptedException {
            java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
            CountDownLatch reading = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            var first = clients.submit(() -> limits.run("GET /a", () -> {
                int n = reads.incrementAndGet();
                reading.countDown();
                try {
                    finish.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "answer " + n;
            }, sharing));
            assertTrue(reading.await(10, TimeUnit.SECONDS));
            return new HeldRead(reads, finish, first);
        }
    }

    private static ReadLimits oneTurn(Duration timeout) {
        return turns(1, timeout);
    }

    private static ReadLimits turns(int concurrency, Duration timeout) {
        WaymarkConfig config = new WaymarkConfig();
        config.setReadConcurrency(concurrency);
        config.setReadTimeout(timeout);
        return new ReadLimits(config, new io.waymark.catalog.ops.Metrics());
    }

    /** Holds the one turn until the returned latch is counted down. */
    private static Thread holdTurn(ReadLimits limits, CountDownLatch release) throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        Thread t = new Thread(() -> limits.run(() -> {
            holding.countDown();
            try {
                return release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return false;
            }
        }));
        t.start();
        assertTrue(holding.await(10, TimeUnit.SECONDS));
        return t;
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "timed out");
            Thread.sleep(5);
        }
    }

    @Test
    void identicalRequestsWaitingTogetherShareOneRead() throws Exception {
        ReadLimits limits = oneTurn(Duration.ofSeconds(10));
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = holdTurn(limits, release);
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        Counted sharing = new Counted();
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(9);
        List<java.util.concurrent.Future<String>> same = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            same.add(clients.submit(() -> limits.run("GET /a", () -> "answer " + reads.incrementAndGet(), sharing)));
        }
        var other = clients.submit(() -> limits.run("GET /b", () -> "other " + reads.incrementAndGet(), sharing));
        await(() -> limits.waitingTogether() == 9);
        release.countDown();
        java.util.Set<String> answers = new java.util.HashSet<>();
        for (var f : same) {
            answers.add(f.get(10, TimeUnit.SECONDS));
        }
        assertEquals(1, answers.size(), "one answer for all eight: " + answers);
        assertTrue(other.get(10, TimeUnit.SECONDS).startsWith("other"), "another key reads for itself");
        assertEquals(2, reads.get(), "one read per key");
        assertEquals(7, sharing.copies.get(), "each joined request gets its own copy");
        assertEquals(1, sharing.sharedJoined.get(), "shared once, with the crowd of /a (none joined /b)");
        assertEquals(0, limits.waitingTogether());
        holder.join();
        clients.shutdown();
    }

    /**
     * A request arriving once a read has begun does not take its answer: the read may have started
     * before a write the request saw acknowledged. It reads again, after the first.
     */
    @Test
    void aRequestArrivingAfterTheReadBeganReadsAgain() throws Exception {
        ReadLimits limits = oneTurn(Duration.ofSeconds(10));
        Counted sharing = new Counted();
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(2);
        HeldRead held = HeldRead.start(limits, clients, sharing);
        java.util.concurrent.atomic.AtomicInteger reads = held.reads;
        var second = clients.submit(() -> limits.run("GET /a", () -> "answer " + reads.incrementAndGet(), sharing));
        await(() -> limits.waitingTogether() == 1); // the second waits for the turn, in a crowd of its own
        held.finish.countDown();
        assertEquals("answer 1", held.first.get(10, TimeUnit.SECONDS));
        assertEquals("answer 2", second.get(10, TimeUnit.SECONDS));
        assertEquals(0, sharing.copies.get());
        clients.shutdown();
    }

    /**
     * Identical requests do not read side by side even when turns are free: the first of a burst
     * reads, those arriving meanwhile share the next read, which starts when the first ends.
     */
    @Test
    void aKeyIsReadOnceAtATime() throws Exception {
        ReadLimits limits = turns(4, Duration.ofSeconds(10));
        Counted sharing = new Counted();
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(5);
        HeldRead held = HeldRead.start(limits, clients, sharing);
        java.util.concurrent.atomic.AtomicInteger reads = held.reads;
        List<java.util.concurrent.Future<String>> burst = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            burst.add(clients.submit(() -> limits.run("GET /a", () -> "answer " + reads.incrementAndGet(), sharing)));
        }
        var other = clients.submit(() -> limits.run("GET /b", () -> "other", sharing));
        assertEquals("other", other.get(10, TimeUnit.SECONDS), "another key reads at once");
        await(() -> limits.waitingTogether() == 3);
        Thread.sleep(200);
        assertEquals(1, reads.get(), "three turns are free, yet no second read of /a began beside the first");
        held.finish.countDown();
        assertEquals("answer 1", held.first.get(10, TimeUnit.SECONDS));
        for (var f : burst) {
            assertEquals("answer 2", f.get(10, TimeUnit.SECONDS), "the burst shares the read after the first");
        }
        assertEquals(2, reads.get());
        clients.shutdown();
    }

    /** An identical read that runs past the read timeout is waited for no longer: the next reads beside it. */
    @Test
    void aStuckReadHoldsItsKeyNoLongerThanTheTimeout() throws Exception {
        ReadLimits limits = turns(2, Duration.ofMillis(300));
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(2);
        HeldRead held = HeldRead.start(limits, clients, new Counted());
        java.util.concurrent.atomic.AtomicInteger reads = held.reads;
        assertEquals("answer 2", limits.run("GET /a", () -> "answer " + reads.incrementAndGet(), new Counted()));
        assertFalse(held.first.isDone(), "answered while the first still ran");
        held.finish.countDown();
        assertEquals("answer 1", held.first.get(10, TimeUnit.SECONDS));
        clients.shutdown();
    }

    @Test
    void aFailedOrRefusedReadFailsItsWholeCrowd() throws Exception {
        ReadLimits limits = oneTurn(Duration.ofMillis(300));
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = holdTurn(limits, release);
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(3);
        List<java.util.concurrent.Future<String>> refused = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            refused.add(clients.submit(() -> limits.run("GET /a", () -> "never", new Counted())));
        }
        for (var f : refused) {
            var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof ReadLimits.Busy, String.valueOf(e.getCause()));
        }
        release.countDown();
        holder.join();
        ReadLimits patient = oneTurn(Duration.ofSeconds(10));
        CountDownLatch failing = new CountDownLatch(1);
        Thread holder2 = holdTurn(patient, failing);
        List<java.util.concurrent.Future<String>> failed = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            failed.add(clients.submit(() -> patient.run("GET /b", () -> {
                throw new IllegalArgumentException("bad");
            }, new Counted())));
        }
        // Released while all three wait: the first reads and fails; the others get its failure.
        await(() -> patient.waitingTogether() == 3);
        failing.countDown();
        for (var f : failed) {
            var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof IllegalArgumentException, String.valueOf(e.getCause()));
        }
        holder2.join();
        clients.shutdown();
    }
}
