package io.waymark.catalog.projection;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.journal.Journal;

import java.time.Duration;
import java.util.concurrent.ExecutionException;

/**
 * Read-your-writes. Every accepted write answers with {@code Waymark-Position}, the journal
 * position its data is at or below; a read given {@code waitFor=<position>} (or the header
 * {@code Waymark-Wait-For}) is answered once projection has passed it, so it sees that write, or
 * after {@code waitTimeoutMs} (default 5 s, at most 30 s) with {@code Waymark-Projection-Pending: true}.
 * A waiting read holds a thread of the blocking pool (never the event loop) until the projector
 * completes its wait.
 */
@ServerFilter("/api/**")
public class ReadYourWrites implements Ordered {
    public static final String POSITION = "Waymark-Position";
    public static final String WAIT_FOR = "Waymark-Wait-For";
    public static final String PENDING = "Waymark-Projection-Pending";
    private static final String PENDING_ATTRIBUTE = "waymark.projection.pending";
    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private final Projector projector;
    private final Journal journal;

    public ReadYourWrites(Projector projector, Journal journal) {
        this.projector = projector;
        this.journal = journal;
    }

    /** After authentication: a caller without a valid token is refused at once, not after a wait. */
    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    public @Nullable HttpResponse<?> waitFor(HttpRequest<?> request) throws InterruptedException {
        if (request.getMethod() != HttpMethod.GET) {
            return null;
        }
        String wanted = request.getParameters().get("waitFor");
        if (wanted == null) {
            wanted = request.getHeaders().get(WAIT_FOR);
        }
        if (wanted == null || wanted.isBlank()) {
            return null;
        }
        long position;
        Duration timeout;
        try {
            position = Long.parseLong(wanted.strip());
            String ms = request.getParameters().get("waitTimeoutMs");
            timeout = ms == null ? DEFAULT_WAIT : Duration.ofMillis(Long.parseLong(ms.strip()));
            if (position < 0 || timeout.isNegative() || timeout.compareTo(MAX_WAIT) > 0) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            return JsonView.error(HttpStatus.BAD_REQUEST, "invalid_request", "waitFor",
                    "waitFor must be a journal position (the Waymark-Position of a write) and waitTimeoutMs 0..30000");
        }
        boolean done;
        try {
            done = projector.whenProjected(position, timeout).get();
        } catch (ExecutionException e) {
            done = false;
        }
        if (!done) {
            request.setAttribute(PENDING_ATTRIBUTE, true);
        }
        return null;
    }

    @ResponseFilter
    public void headers(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (request.getAttribute(PENDING_ATTRIBUTE, Boolean.class).orElse(false)) {
            response.header(PENDING, "true");
        }
        if (request.getMethod() != HttpMethod.GET && response.code() < 400) {
            response.header(POSITION, Long.toString(journal.position()));
        }
    }
}
