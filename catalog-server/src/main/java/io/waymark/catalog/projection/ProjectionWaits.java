package io.waymark.catalog.projection;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Reads waiting for projection to pass a journal position; the projector completes them as its watermark moves. */
final class ProjectionWaits {
    private record Waiter(long position, CompletableFuture<Boolean> done) {}

    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();

    /** A wait that completes with true once {@link #passed} reaches {@code position}, with false after {@code timeout}. */
    CompletableFuture<Boolean> add(long position, long watermark, Duration timeout) {
        if (watermark >= position) {
            return CompletableFuture.completedFuture(true);
        }
        Waiter waiter = new Waiter(position, new CompletableFuture<>());
        waiters.add(waiter);
        return waiter.done().completeOnTimeout(false, timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((done, e) -> waiters.remove(waiter));
    }

    /** The watermark moved to {@code watermark}: every wait at or below it is over. */
    void passed(long watermark) {
        waiters.removeIf(w -> {
            if (w.position() > watermark) {
                return false;
            }
            w.done().complete(true);
            return true;
        });
    }
}
