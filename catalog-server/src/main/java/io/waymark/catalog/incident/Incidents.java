package io.waymark.catalog.incident;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.audit.AuditLog;
import io.waymark.catalog.journal.Journal;
import io.waymark.catalog.model.Times;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static io.waymark.catalog.api.JsonView.F;

/**
 * Incidents: one per problem, deduplicated while it lasts, with the lifecycle OPEN →
 * ACKNOWLEDGED → RESOLVED. The monitor reports what is wrong now ({@link #reconcile}); a problem
 * without an active incident opens one, an active incident whose problem is gone resolves by
 * itself, and one a person resolved stays resolved until the problem comes back as a new
 * occurrence (a new failed run, a new missed due time). Every step is kept (incident_event) and
 * audited; listeners (the alert channels) hear of each.
 */
@Singleton
public class Incidents {
    public static final String MONITOR = "waymark-monitor";

    /** What the monitor sees wrong: kind, the node (or rule@node) it is about, and this occurrence. */
    public record Problem(String kind, String subject, String namespace, String name, String episode, String severity, String title,
                          Map<String, Object> detail, String owner) {}

    /** A step an incident took, for the channels: {@code opened}, {@code acknowledged} or {@code resolved}. */
    public record Change(String action, IncidentRow incident) {}

    private final Journal journal;
    private final AuditLog audit;
    private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();

    public Incidents(Journal journal, AuditLog audit) {
        this.journal = journal;
        this.audit = audit;
    }

    public void listen(Consumer<Change> listener) {
        listeners.add(listener);
    }

    private <T> T dao(java.util.function.Function<IncidentDao, T> work) {
        return journal.writeTransaction(h -> work.apply(h.attach(IncidentDao.class)));
    }

    /**
     * Brings incidents in line with the problems seen now, for the kinds the caller watches (an
     * active incident of another kind is left alone). Returns the changes made.
     */
    public synchronized List<Change> reconcile(List<Problem> problems, Set<String> kinds) {
        String now = Times.format(Instant.now());
        List<Change> changes = new ArrayList<>();
        dao(d -> {
            Map<String, IncidentRow> active = new HashMap<>();
            for (IncidentRow row : d.active()) {
                active.put(row.kind() + "\u0000" + row.subject(), row);
            }
            Set<String> seen = new HashSet<>();
            for (Problem p : problems) {
                String id = p.kind() + "\u0000" + p.subject();
                if (!seen.add(id)) {
                    continue;
                }
                IncidentRow current = active.get(id);
                String detail = JsonView.write(io.waymark.catalog.ingest.Json.STRICT.valueToTree(p.detail()));
                if (current != null) {
                    if (!current.episode().equals(p.episode()) || !current.detail().equals(detail) || !current.title().equals(p.title())) {
                        d.refresh(new IncidentRow(current.id(), p.kind(), p.subject(), p.namespace(), p.name(), p.episode(), current.state(),
                                p.severity(), p.title(), detail, p.owner(), current.openedAt(), now, null, null, null, null, null));
                        if (!current.episode().equals(p.episode())) {
                            d.event(current.id(), now, "recurred", MONITOR, p.title());
                        }
                    }
                    continue;
                }
                if (d.resolvedEpisode(p.kind(), p.subject(), p.episode())) {
                    // Resolved by a person while this occurrence lasts: it stays resolved until a new one.
                    continue;
                }
                IncidentRow row = new IncidentRow(UUID.randomUUID().toString(), p.kind(), p.subject(), p.namespace(), p.name(), p.episode(), "OPEN",
                        p.severity(), p.title(), detail, p.owner(), now, now, null, null, null, null, null);
                d.insert(row);
                d.event(row.id(), now, "opened", MONITOR, p.title());
                changes.add(new Change("opened", row));
            }
            for (Map.Entry<String, IncidentRow> e : active.entrySet()) {
                IncidentRow row = e.getValue();
                if (!seen.contains(e.getKey()) && kinds.contains(row.kind())) {
                    d.resolve(row.id(), now, MONITOR, "the condition cleared");
                    d.event(row.id(), now, "resolved", MONITOR, "the condition cleared");
                    changes.add(new Change("resolved", d.byId(row.id()).orElseThrow()));
                }
            }
            return null;
        });
        for (Change c : changes) {
            audit.submit(new AuditLog.Entry(MONITOR, "system", "incident." + c.action(), "incident:" + c.incident().id(),
                    Map.of("kind", c.incident().kind(), "subject", c.incident().subject(), "title", c.incident().title()), null));
            notifyListeners(c);
        }
        return changes;
    }

    private void notifyListeners(Change change) {
        for (Consumer<Change> l : listeners) {
            try {
                l.accept(change);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Incidents.class).warn("an incident listener failed: {}", e.toString());
            }
        }
    }

    private record Acted(IncidentRow row, boolean changed) {}

    /**
     * A person acknowledges (an OPEN incident) or resolves (one not yet RESOLVED) an incident;
     * anything else leaves it as it is. Empty when there is no such incident.
     */
    public Optional<IncidentRow> act(String id, String action, String actor, String reason) {
        String now = Times.format(Instant.now());
        boolean acknowledge = action.equals("acknowledge");
        Optional<Acted> acted = dao(d -> {
            if (d.byId(id).isEmpty()) {
                return Optional.<Acted>empty();
            }
            int changed = acknowledge ? d.acknowledge(id, now, actor)
                    : d.resolve(id, now, actor, reason == null || reason.isBlank() ? "resolved by hand" : reason);
            if (changed > 0) {
                d.event(id, now, acknowledge ? "acknowledged" : "resolved", actor, reason);
            }
            return Optional.of(new Acted(d.byId(id).orElseThrow(), changed > 0));
        });
        acted.filter(Acted::changed).ifPresent(a -> notifyListeners(new Change(acknowledge ? "acknowledged" : "resolved", a.row())));
        return acted.map(Acted::row);
    }

    public Optional<IncidentRow> get(String id) {
        return dao(d -> d.byId(id));
    }

    public ObjectNode page(String state, String namespace, String kind, int limit, int offset) {
        return dao(d -> {
            ArrayNode list = F.arrayNode();
            d.find(state, namespace, kind, limit, offset).forEach(r -> list.add(view(r)));
            ObjectNode body = F.objectNode();
            body.set("incidents", list);
            body.put("totalCount", d.count(state, namespace, kind));
            return body;
        });
    }

    public ObjectNode detail(IncidentRow row) {
        ObjectNode node = view(row);
        ArrayNode history = node.putArray("history");
        dao(d -> d.history(row.id())).forEach(s -> history.addObject().put("at", s.at()).put("action", s.action()).put("actor", s.actor())
                .put("detail", s.detail()));
        return node;
    }

    /** Incidents counted by kind and state, for /metrics. */
    public Map<List<String>, Integer> counts() {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (String line : dao(IncidentDao::countsByKindAndState)) {
            String[] parts = line.split("\\|");
            counts.put(List.of(parts[0], parts[1]), Integer.parseInt(parts[2]));
        }
        return counts;
    }

    public static ObjectNode view(IncidentRow r) {
        ObjectNode node = F.objectNode().put("id", r.id()).put("kind", r.kind()).put("state", r.state()).put("severity", r.severity())
                .put("title", r.title()).put("subject", r.subject()).put("namespace", r.namespace()).put("name", r.name())
                .put("episode", r.episode()).put("owner", r.owner()).put("openedAt", r.openedAt()).put("updatedAt", r.updatedAt())
                .put("acknowledgedAt", r.acknowledgedAt()).put("acknowledgedBy", r.acknowledgedBy()).put("resolvedAt", r.resolvedAt())
                .put("resolvedBy", r.resolvedBy()).put("resolution", r.resolution());
        node.set("detail", JsonView.parse(r.detail()));
        return node;
    }
}
