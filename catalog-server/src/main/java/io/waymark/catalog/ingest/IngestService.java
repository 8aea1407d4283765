package io.waymark.catalog.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.waymark.catalog.audit.AuditLog;
import io.waymark.catalog.journal.DiskSpace;
import io.waymark.catalog.journal.Journal;
import io.waymark.catalog.journal.NewEvent;
import io.waymark.catalog.model.Times;
import io.waymark.catalog.ops.Metrics;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Checks events and appends them to the journal; the returned futures complete after the commit. */
@Singleton
public class IngestService {
    private final EventParser parser;
    private final Journal journal;
    private final Metrics metrics;
    private final AuditLog audit;
    private final DiskSpace disk;

    public IngestService(EventParser parser, Journal journal, Metrics metrics, AuditLog audit, DiskSpace disk) {
        this.audit = audit;
        this.disk = disk;
        this.parser = parser;
        this.journal = journal;
        this.metrics = metrics;
    }

    /** Completes with true when the event was new, false when it was already in the journal. */
    public CompletableFuture<Boolean> ingest(byte[] body) throws InvalidEventException {
        return ingest(body, null);
    }

    /** The same, with the request's audit entry committed in the events' transaction ({@code null}: none). */
    public CompletableFuture<Boolean> ingest(byte[] body, AuditLog.Entry entry) throws InvalidEventException {
        ParsedEvent event = parser.parse(body);
        disk.check();
        NewEvent row = toNew(event);
        return journal.append(List.of(row), entry).thenApply(inserted -> {
            disk.appended(inserted[0] ? row.payload().length() : 0);
            metrics.accepted(1, inserted[0] ? 0 : 1);
            return inserted[0];
        });
    }

    /** A batch as one JSON array or as NDJSON (one event per line), with the request's audit entry ({@code null}: none). */
    public CompletableFuture<BatchResult> ingestBatch(byte[] body, boolean ndjson, AuditLog.Entry entry) throws InvalidEventException {
        disk.check();
        List<JsonNode> items = new ArrayList<>();
        List<BatchResult.Rejected> rejected = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        if (ndjson) {
            String[] lines = new String(body, StandardCharsets.UTF_8).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].strip();
                if (line.isEmpty()) {
                    continue;
                }
                try {
                    items.add(parser.readTree(line.getBytes(StandardCharsets.UTF_8)));
                    positions.add(i);
                } catch (InvalidEventException e) {
                    rejected.add(new BatchResult.Rejected(i, e.detail(), e.field()));
                }
            }
        } else {
            JsonNode root = parser.readTree(body);
            if (!root.isArray()) {
                throw InvalidEventException.invalid("", "batch body must be a JSON array of events (or NDJSON with Content-Type: application/x-ndjson)");
            }
            for (int i = 0; i < root.size(); i++) {
                items.add(root.get(i));
                positions.add(i);
            }
        }
        List<NewEvent> accepted = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                accepted.add(toNew(parser.parse(items.get(i))));
            } catch (InvalidEventException e) {
                rejected.add(new BatchResult.Rejected(positions.get(i), e.detail(), e.field()));
            }
        }
        rejected.sort((a, b) -> Integer.compare(a.index(), b.index()));
        rejected.forEach(r -> metrics.rejected(400, "invalid_event"));
        if (accepted.isEmpty()) {
            if (entry != null) {
                audit.record(entry);
            }
            return CompletableFuture.completedFuture(new BatchResult(0, rejected));
        }
        return appendCounted(accepted, entry).thenApply(inserted -> new BatchResult(inserted.length, rejected));
    }

    /** Whether one record of {@link #ingestEach} was stored (new or already there) or refused, and why. */
    public record Outcome(boolean fresh, InvalidEventException refused) {}

    /**
     * Events that arrived one by one (Kafka records): each is checked on its own, the good ones are
     * appended in one commit with the audit entry, and the answer has one outcome per body, in order.
     * A full disk or an unavailable journal fails the whole future: nothing of it was stored.
     */
    public CompletableFuture<List<Outcome>> ingestEach(List<byte[]> bodies, AuditLog.Entry entry) {
        disk.check();
        List<NewEvent> accepted = new ArrayList<>();
        Outcome[] outcomes = new Outcome[bodies.size()];
        int[] slot = new int[bodies.size()];
        for (int i = 0; i < bodies.size(); i++) {
            try {
                accepted.add(toNew(parser.parse(bodies.get(i))));
                slot[accepted.size() - 1] = i;
            } catch (InvalidEventException e) {
                metrics.rejected(e.status(), e.error());
                outcomes[i] = new Outcome(false, e);
            }
        }
        if (accepted.isEmpty()) {
            if (entry != null) {
                audit.record(entry);
            }
            return CompletableFuture.completedFuture(List.of(outcomes));
        }
        return appendCounted(accepted, entry).thenApply(inserted -> {
            for (int i = 0; i < inserted.length; i++) {
                outcomes[slot[i]] = new Outcome(inserted[i], null);
            }
            return List.of(outcomes);
        });
    }

    private CompletableFuture<boolean[]> appendCounted(List<NewEvent> accepted, AuditLog.Entry entry) {
        return journal.append(accepted, entry).thenApply(inserted -> {
            int duplicates = 0;
            for (int i = 0; i < inserted.length; i++) {
                duplicates += inserted[i] ? 0 : 1;
                disk.appended(inserted[i] ? accepted.get(i).payload().length() : 0);
            }
            metrics.accepted(inserted.length, duplicates);
            return inserted;
        });
    }

    /** Journals an operator's soft delete of a dataset or job, so a rebuild reproduces it. */
    public CompletableFuture<boolean[]> journalDelete(EventKind kind, String key) {
        Instant now = Instant.now();
        String payload = "{\"key\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(key) + ",\"at\":\"" + Times.format(now) + "\"}";
        return journalGovernance(kind, key, payload);
    }

    /** Journals an operator's or steward's action on one node; the payload says what, who and why. */
    public CompletableFuture<boolean[]> journalGovernance(EventKind kind, String target, String payload) {
        return journalGovernance(List.of(new GovernanceEntry(kind, target, payload)));
    }

    /** One governance action for {@link #journalGovernance(List)}. */
    public record GovernanceEntry(EventKind kind, String target, String payload) {}

    /** Journals several governance actions in one commit: all of them or none. */
    public CompletableFuture<boolean[]> journalGovernance(List<GovernanceEntry> entries) {
        String now = Times.format(Instant.now());
        disk.check();
        List<NewEvent> events = new java.util.ArrayList<>();
        for (GovernanceEntry e : entries) {
            events.add(new NewEvent(now, now, e.kind().name(), null, null, null, null,
                    e.kind().name() + ":" + java.util.UUID.randomUUID(), e.payload(), e.target()));
        }
        return journal.append(events);
    }

    private static NewEvent toNew(ParsedEvent e) {
        return new NewEvent(Times.format(Instant.now()), Times.format(e.eventTime()), e.kind().name(), e.eventType(),
                e.runId(), e.jobNamespace(), e.jobName(), e.contentHash(), e.payload(), null);
    }
}
