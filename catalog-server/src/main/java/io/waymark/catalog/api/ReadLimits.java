package io.waymark.catalog.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.waymark.catalog.config.WaymarkConfig;
import io.waymark.catalog.ops.Metrics;
import io.micrometer.core.instrument.Counter;
import jakarta.inject.Singleton;
import org.neo4j.driver.TransactionConfig;
import org.neo4j.driver.exceptions.Neo4jException;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Bounds the graph reads of API answers: at most {@code waymark.read-concurrency} run at once (two
 * per core by default), a request waits at most {@code waymark.read-timeout} for its turn, and a
 * query runs at most that long. Past either the answer is 503 with Retry-After: many viewers of a
 * huge node get a quick refusal instead of a queue that ties the server up, and {@code /health},
 * which takes no permit, keeps answering.
 *
 * <p>Identical requests that wait for a turn at the same time are answered by one read
 * ({@link #run(String, Supplier, Sharing)}): 96 viewers of the same huge job made 96 equal answers,
 * and the two cores they kept busy were what {@code /health} waited for. A key is read once at a
 * time: those arriving while its read is under way wait together for the next. A waiting crowd closes when
 * its first request gets its turn, before its read begins, so every request it answers arrived
 * before the read started: the shared answer is as fresh as each would have had alone (a write
 * acknowledged before a request arrived is in its answer).
 */
@Singleton
public class ReadLimits {
    /** Refused for lack of capacity or time: nothing went wrong with the request, it may be retried. */
    public static final class Busy extends RuntimeException {
        Busy(String message) {
            super(message);
        }
    }

    /** How one read's answer is handed to the requests that joined it. */
    public interface Sharing<T> {
        /**
         * What the joined requests get, taken on the first request's thread before its answer goes
         * on (filters change a response after the controller returns); {@code joined} says whether
         * any joined yet, so an answer that writes itself is written to bytes once, not once per request.
         */
        Object share(T answer, boolean joined);

        /** A joined request's own answer from what was shared (a response object belongs to one request). */
        T copy(Object shared);
    }

    /** Requests waiting for one read's answer: those that arrived while its first request waited for a turn. */
    private static final class Crowd {
        final CompletableFuture<Object> answer = new CompletableFuture<>();
        final AtomicInteger joined = new AtomicInteger();
    }

    private final Semaphore permits;
    /** The crowd still open for each request key: its first request has not got its turn yet. */
    private final ConcurrentHashMap<String, Crowd> waiting = new ConcurrentHashMap<>();
    /** The answer of the read of each key under way, if any: the next crowd's first request waits for it to end. */
    private final ConcurrentHashMap<String, CompletableFuture<Object>> running = new ConcurrentHashMap<>();
    private final Counter shared;
    /** Whether this thread holds a turn: an answer made within one ({@link ReadTurn}) reads without taking another. */
    private final ThreadLocal<Boolean> holding = ThreadLocal.withInitial(() -> false);
    private final int concurrency;
    private final Duration timeout;
    private final TransactionConfig config;

    public ReadLimits(WaymarkConfig waymark, Metrics metrics) {
        this.shared = metrics.counter("waymark_reads_shared",
                "Read answers shared with an identical request that arrived while the first waited for its turn");
        int concurrency = waymark.getReadConcurrency() > 0 ? waymark.getReadConcurrency() : Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        this.concurrency = concurrency;
        this.permits = new Semaphore(concurrency, true);
        this.timeout = waymark.getReadTimeout();
        this.config = TransactionConfig.builder().withTimeout(timeout).build();
    }

    /** How many graph reads of API answers run at once. */
    public int concurrency() {
        return concurrency;
    }

    /** Requests waiting in crowds that share a read: each crowd's first and those that joined it. */
    public int waitingTogether() {
        return waiting.values().stream().mapToInt(crowd -> 1 + crowd.joined.get()).sum();
    }

    public TransactionConfig config() {
        return config;
    }

    public <T> T run(Supplier<T> read) {
        return run(null, read, null);
    }

    /**
     * A read within a turn; with a {@code key} (a request's method, URI and credentials: equal keys
     * make equal answers), a request that finds an identical one waiting for its turn waits for
     * that one's answer instead of reading again, and one that finds an identical read under way
     * waits for it to end and then reads, with whoever arrives meanwhile.
     */
    public <T> T run(String key, Supplier<T> read, Sharing<T> sharing) {
        if (holding.get()) {
            return within(read);
        }
        Crowd crowd = null;
        if (key != null) {
            Crowd mine = new Crowd();
            Crowd there = waiting.putIfAbsent(key, mine);
            if (there != null) {
                return join(there, sharing);
            }
            crowd = mine;
        }
        // Waiting for an identical read to end and then for a turn share one limit, the read timeout.
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (crowd != null) {
                // One read of a key at a time: the first of a burst reads, those arriving meanwhile wait
                // together and share the next read instead of each starting one beside it.
                await(running.get(key), deadline);
            }
            take(deadline);
        } catch (Busy e) {
            close(key, crowd);
            if (crowd != null) {
                crowd.answer.completeExceptionally(e);
            }
            throw e;
        }
        if (crowd != null) {
            // Running before the crowd closes: a request that finds no crowd to join finds this read to wait for.
            running.put(key, crowd.answer);
        }
        // Closed before the read begins: whoever joined arrived before its transaction started.
        close(key, crowd);
        holding.set(true);
        try {
            T answer = within(read);
            if (crowd != null) {
                crowd.answer.complete(sharing.share(answer, crowd.joined.get() > 0));
            }
            return answer;
        } catch (RuntimeException | Error e) {
            if (crowd != null) {
                crowd.answer.completeExceptionally(e);
            }
            throw e;
        } finally {
            if (crowd != null) {
                running.remove(key, crowd.answer);
            }
            holding.set(false);
            permits.release();
        }
    }

    /** Waits, until the deadline at most, for an identical read to end (however it ends). */
    private void await(CompletableFuture<Object> read, long deadline) {
        if (read == null) {
            return;
        }
        try {
            read.handle((answer, failure) -> null).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // It is still running: this read goes on to wait for a turn like any other.
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy("interrupted while waiting to read");
        }
    }

    private void take(long deadline) {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy("interrupted while waiting to read");
        }
        if (!acquired) {
            throw new Busy("the server is busy with other reads; nothing waited longer than " + said(timeout));
        }
    }

    private void close(String key, Crowd crowd) {
        if (crowd != null) {
            waiting.remove(key, crowd);
        }
    }

    /** The shared answer, or the failure its read ended with; a joined request waits no longer than its first could. */
    private <T> T join(Crowd crowd, Sharing<T> sharing) {
        crowd.joined.incrementAndGet();
        try {
            // Its first request waits at most the timeout (for the read before it, then for a turn), then reads.
            T answer = sharing.copy(crowd.answer.get(2 * timeout.toMillis() + 1000, TimeUnit.MILLISECONDS));
            shared.increment();
            return answer;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new Busy("an identical request's read took longer than " + said(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy("interrupted while waiting to read");
        }
    }

    private <T> T within(Supplier<T> read) {
        try {
            return read.get();
        } catch (Neo4jException e) {
            if (e.code() != null && e.code().contains("TransactionTimedOut")) {
                throw new Busy("the read took longer than " + said(timeout) + " and was stopped");
            }
            throw e;
        }
    }

    /** A limit as people say it: "15 s", or "200 ms" below a second (which read "0 s"). */
    private static String said(Duration limit) {
        return limit.toMillis() < 1000 ? limit.toMillis() + " ms" : limit.toSeconds() + " s";
    }

    /** 503 with Retry-After for a read refused by these limits. */
    @Singleton
    public static class BusyHandler implements ExceptionHandler<Busy, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, Busy e) {
            return ((MutableHttpResponse<?>) JsonView.error(HttpStatus.SERVICE_UNAVAILABLE, "busy", null, e.getMessage()))
                    .header("Retry-After", "5");
        }
    }
}
