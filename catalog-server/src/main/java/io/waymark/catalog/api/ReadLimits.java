package io.waymark.catalog.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.waymark.catalog.config.WaymarkConfig;
import jakarta.inject.Singleton;
import org.neo4j.driver.TransactionConfig;
import org.neo4j.driver.exceptions.Neo4jException;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Bounds the graph reads of API answers: at most {@code waymark.read-concurrency} run at once (two
 * per core by default), a request waits at most {@code waymark.read-timeout} for its turn, and a
 * query runs at most that long. Past either the answer is 503 with Retry-After: many viewers of a
 * huge node get a quick refusal instead of a queue that ties the server up, and {@code /health},
 * which takes no permit, keeps answering.
 */
@Singleton
public class ReadLimits {
    /** Refused for lack of capacity or time: nothing went wrong with the request, it may be retried. */
    public static final class Busy extends RuntimeException {
        Busy(String message) {
            super(message);
        }
    }

    private final Semaphore permits;
    /** Whether this thread holds a turn: an answer made within one ({@link ReadTurn}) reads without taking another. */
    private final ThreadLocal<Boolean> holding = ThreadLocal.withInitial(() -> false);
    private final int concurrency;
    private final Duration timeout;
    private final TransactionConfig config;

    public ReadLimits(WaymarkConfig waymark) {
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

    public TransactionConfig config() {
        return config;
    }

    public <T> T run(Supplier<T> read) {
        if (holding.get()) {
            return within(read);
        }
        boolean acquired;
        try {
            acquired = permits.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy("interrupted while waiting to read");
        }
        if (!acquired) {
            throw new Busy("the server is busy with other reads; nothing waited longer than " + said(timeout));
        }
        holding.set(true);
        try {
            return within(read);
        } finally {
            holding.set(false);
            permits.release();
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
