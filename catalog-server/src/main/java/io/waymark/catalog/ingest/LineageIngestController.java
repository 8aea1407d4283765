package io.waymark.catalog.ingest;

import io.waymark.catalog.api.StorageRefusals;
import io.waymark.catalog.journal.InsufficientStorageException;

import io.micronaut.security.annotation.Secured;
import io.waymark.catalog.audit.AuditFilter;
import io.waymark.catalog.audit.AuditLog;
import io.waymark.catalog.auth.Caller;
import io.waymark.catalog.auth.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.waymark.catalog.api.ApiError;
import io.waymark.catalog.ops.Metrics;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** OpenLineage ingest: {@code POST /api/v1/lineage} and {@code POST /api/v1/lineage/batch}. */
@Controller("/api/v1/lineage")
@Secured(Roles.PRODUCER)
public class LineageIngestController {
    private static final MediaType NDJSON = MediaType.of("application/x-ndjson");

    private final IngestService ingest;
    private final EventParser parser;
    private final Metrics metrics;
    private final int maxBatchBytes;
    private final IngestThreads threads;

    public LineageIngestController(IngestService ingest, EventParser parser, Metrics metrics, io.waymark.catalog.config.WaymarkConfig config,
                                   IngestThreads threads) {
        this.threads = threads;
        this.maxBatchBytes = config.getMaxBatchBytes();
        this.ingest = ingest;
        this.parser = parser;
        this.metrics = metrics;
    }

    @Post
    @Consumes(MediaType.ALL)
    public CompletableFuture<HttpResponse<?>> post(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return threads.run(body, request.getHeaders().get(HttpHeaders.CONTENT_ENCODING), () -> storeOne(request, body), LineageIngestController::stopping);
    }

    @Post("/batch")
    @Consumes(MediaType.ALL)
    public CompletableFuture<HttpResponse<?>> batch(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return threads.run(body, request.getHeaders().get(HttpHeaders.CONTENT_ENCODING), () -> storeBatch(request, body), LineageIngestController::stopping);
    }

    private CompletableFuture<HttpResponse<?>> storeOne(HttpRequest<?> request, byte[] body) {
        try {
            requireJson(request, false);
            byte[] event = decode(request, body, parser.maxEventBytes());
            CompletableFuture<Boolean> stored = ingest.ingest(event, entry(request, "lineage.post", Map.of("bytes", event.length)));
            // The audit entry is committed with the event (one fsync); the filter only records refused posts.
            AuditFilter.recordedElsewhere(request);
            return stored
                    .<HttpResponse<?>>thenApply(fresh -> HttpResponse.created(Map.of("duplicate", !fresh)))
                    .exceptionally(LineageIngestController::unavailable);
        } catch (InvalidEventException e) {
            return CompletableFuture.completedFuture(error(e));
        }
    }

    private CompletableFuture<HttpResponse<?>> storeBatch(HttpRequest<?> request, byte[] body) {
        try {
            boolean ndjson = requireJson(request, true);
            byte[] events = decode(request, body, maxBatchBytes);
            if (events.length == 0) {
                throw InvalidEventException.invalid("", "request body is empty; expected a JSON array or NDJSON");
            }
            CompletableFuture<BatchResult> stored = ingest.ingestBatch(events, ndjson,
                    entry(request, "lineage.batch", Map.of("bytes", events.length, "ndjson", ndjson)));
            // The audit entry is committed with the events (one fsync); the filter only records refused batches.
            AuditFilter.recordedElsewhere(request);
            return stored
                    .<HttpResponse<?>>thenApply(result -> io.waymark.catalog.api.JsonView.ok(result.body()))
                    .exceptionally(LineageIngestController::unavailable);
        } catch (InvalidEventException e) {
            return CompletableFuture.completedFuture(error(e));
        }
    }

    private static AuditLog.Entry entry(HttpRequest<?> request, String action, Map<String, Object> detail) {
        Caller caller = Caller.of(request);
        return new AuditLog.Entry(caller.name(), caller.role(), action, request.getPath(), detail, caller.remote());
    }

    private HttpResponse<?> error(InvalidEventException e) {
        metrics.rejected(e.status(), e.error());
        return HttpResponse.status(io.micronaut.http.HttpStatus.valueOf(e.status())).body(ApiError.of(e.status(), e.error(), e.field(), e.detail()));
    }

    /** The journal could not commit: nothing was stored, and the client may retry (after space is freed, for a full disk). */
    private static HttpResponse<?> unavailable(Throwable t) {
        if (InsufficientStorageException.isCause(t)) {
            return StorageRefusals.refusal("the event was not stored: the disk is full; retry once space is freed");
        }
        return notStored("journal_unavailable", t.getMessage());
    }

    /** A large body that arrived while the server stops: not stored, to be sent again (to this server once restarted, or another replica). */
    private static HttpResponse<?> stopping() {
        return notStored("server_stopping", "the server is stopping; send it again");
    }

    /** 503 with Retry-After: nothing of the request was stored, and sending it again is safe. */
    private static HttpResponse<?> notStored(String error, String why) {
        return HttpResponse.status(io.micronaut.http.HttpStatus.SERVICE_UNAVAILABLE)
                .body(ApiError.of(503, error, "", "the event was not stored: " + why))
                .header("Retry-After", "5");
    }

    /** Returns whether the body is NDJSON. */
    private static boolean requireJson(HttpRequest<?> request, boolean allowNdjson) throws InvalidEventException {
        MediaType type = request.getContentType().orElse(null);
        if (type == null) {
            throw new InvalidEventException(415, "unsupported_media_type", "Content-Type", "Content-Type must be application/json");
        }
        String name = type.getName();
        if (name.equals(MediaType.APPLICATION_JSON) || name.endsWith("+json")) {
            return false;
        }
        if (allowNdjson && name.equals(NDJSON.getName())) {
            return true;
        }
        throw new InvalidEventException(415, "unsupported_media_type", "Content-Type",
                "Content-Type must be application/json" + (allowNdjson ? " or application/x-ndjson" : "") + ", got " + name);
    }

    private static byte[] decode(HttpRequest<?> request, byte[] body, int limit) throws InvalidEventException {
        return BodyDecoder.decode(body, request.getHeaders().get(HttpHeaders.CONTENT_ENCODING), limit);
    }
}
