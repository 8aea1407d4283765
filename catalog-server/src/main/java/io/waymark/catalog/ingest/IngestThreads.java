package io.waymark.catalog.ingest;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Where ingest reads a body too large for the event loop that received it ({@link EventParser#EVENT_LOOP_BYTES},
 * or any compressed one): parsing a 2 MB event took 17 ms warm and 665 ms cold, and while it ran every
 * other connection of that loop waited, {@code /health}'s probes included. A thread per core: bodies
 * are already buffered, and more parses side by side would only add their trees to the heap at once.
 */
@Singleton
public class IngestThreads {
    private final ExecutorService threads = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
        Thread t = new Thread(r, "waymark-ingest-parse");
        t.setDaemon(true);
        return t;
    });

    /**
     * Runs {@code work} here when the body is small and plain, else on an ingest thread; once the
     * threads have stopped (the server is shutting down) the answer is {@code stopping}'s.
     */
    <T> CompletableFuture<T> run(byte[] body, String contentEncoding, Supplier<CompletableFuture<T>> work, Supplier<T> stopping) {
        if ((body == null || body.length <= EventParser.EVENT_LOOP_BYTES) && contentEncoding == null) {
            return work.get();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            threads.execute(() -> {
                try {
                    work.get().whenComplete((value, failure) -> {
                        if (failure == null) {
                            result.complete(value);
                        } else {
                            result.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure);
                        }
                    });
                } catch (RuntimeException e) {
                    // As thrown on the event loop, not wrapped: the API's exception handlers (a full disk's 507) see it.
                    result.completeExceptionally(e);
                }
            });
            return result;
        } catch (RejectedExecutionException e) {
            // Only after shutdown began: nothing was stored, and the client may send it again.
            return CompletableFuture.completedFuture(stopping.get());
        }
    }

    @PreDestroy
    void close() {
        threads.shutdown();
    }
}
