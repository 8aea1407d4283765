package io.waymark.catalog.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.waymark.catalog.api.CatalogService;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.ingest.EventKind;
import io.waymark.catalog.ingest.IngestService;
import io.waymark.catalog.ingest.InvalidEventException;
import io.waymark.catalog.journal.Journal;
import io.waymark.catalog.journal.JournalEntry;
import io.waymark.catalog.projection.Projector;
import io.waymark.policy.taxonomy.Taxonomy;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Optional;

import static io.waymark.catalog.api.JsonView.F;

/**
 * Annotations and steward classifications. Each is journaled (who, when, why, what) before it
 * reaches the graph, so it is audit evidence and survives a rebuild; the answer is read back
 * from the graph once the projector has applied it.
 */
@Singleton
public class GovernanceService {
    private final IngestService ingest;
    private final Journal journal;
    private final Projector projector;
    private final CatalogService catalog;
    private final Taxonomy taxonomy;

    public GovernanceService(IngestService ingest, Journal journal, Projector projector, CatalogService catalog, Taxonomy taxonomy) {
        this.ingest = ingest;
        this.journal = journal;
        this.projector = projector;
        this.catalog = catalog;
        this.taxonomy = taxonomy;
    }

    /** Applies a merge patch to a dataset's or job's annotations; empty when the node does not exist. */
    public Optional<ObjectNode> annotate(String label, String key, JsonNode patch, String actor, String reason) throws Exception {
        if (!catalog.exists(label, key)) {
            return Optional.empty();
        }
        AnnotationSchema.check(patch, label.equals("Job"));
        // Only the current keys are needed, not annotations()'s journal history.
        Optional<ObjectNode> node = label.equals("Job") ? catalog.job(key) : catalog.dataset(key);
        AnnotationSchema.checkCustomCount(node.map(n -> n.path("annotations")).orElse(F.objectNode()), patch);
        JsonNode blocks = patch.path(AnnotationSchema.PROPAGATION_BLOCKS);
        if (blocks.isArray()) {
            // A block stops labels where lineage says they flow: it must say why, and name real codes.
            if (reason == null || reason.isBlank()) {
                throw InvalidEventException.invalid(AnnotationSchema.PROPAGATION_BLOCKS,
                        "a propagation block needs a reason (?reason= or X-Waymark-Reason): it is audit evidence");
            }
            for (JsonNode code : blocks) {
                if (!code.textValue().equals("*") && taxonomy.find(code.textValue()).isEmpty()) {
                    throw InvalidEventException.invalid(AnnotationSchema.PROPAGATION_BLOCKS, "unknown classification code '" + code.textValue() + "'");
                }
            }
        }
        ObjectNode entry = F.objectNode().put("target", key).put("label", label).put("actor", actor).put("reason", reason);
        entry.set("patch", patch);
        apply(EventKind.ANNOTATE, key, entry);
        return annotations(label, key);
    }

    public Optional<ObjectNode> annotations(String label, String key) {
        Optional<ObjectNode> node = label.equals("Job") ? catalog.job(key) : catalog.dataset(key);
        return node.map(n -> {
            ObjectNode body = F.objectNode();
            body.set("annotations", n.path("annotations"));
            ArrayNode history = body.putArray("history");
            for (JournalEntry e : journal.read(dao -> dao.history(key, 100))) {
                if (e.kind().equals(EventKind.ANNOTATE.name())) {
                    JsonNode p = JsonView.parse(e.payload());
                    ObjectNode h = history.addObject().put("at", e.eventTime()).put("actor", p.path("actor").asText());
                    h.set("reason", p.path("reason"));
                    h.set("patch", p.path("patch"));
                }
            }
            return body;
        });
    }

    /** A steward's label on a field, or (suppress) the removal of a label whatever assigned it. */
    public Optional<ObjectNode> classify(String datasetKey, String fieldKey, String code, String actor, String reason, String protection,
                                         boolean suppress) throws Exception {
        if (protection != null && java.util.Arrays.stream(io.waymark.policy.propagation.Protection.values()).noneMatch(p -> p.name().equals(protection))) {
            throw InvalidEventException.invalid("protection", "protection must be one of "
                    + java.util.Arrays.toString(io.waymark.policy.propagation.Protection.values()));
        }
        if (taxonomy.find(code).isEmpty()) {
            throw InvalidEventException.invalid("code", "unknown classification code '" + code + "'; see the taxonomy in compliance-rules");
        }
        if (!catalog.exists("Field", fieldKey)) {
            return Optional.empty();
        }
        ObjectNode entry = F.objectNode().put("target", fieldKey).put("dataset", datasetKey).put("code", code)
                .put("actor", actor).put("reason", reason).put("protection", protection);
        apply(suppress ? EventKind.UNCLASSIFY : EventKind.CLASSIFY, fieldKey, entry);
        return catalog.dataset(datasetKey);
    }

    private void apply(EventKind kind, String target, ObjectNode entry) throws Exception {
        ingest.journalGovernance(kind, target, JsonView.write(entry)).get();
        projector.awaitCaughtUp(Duration.ofSeconds(30));
    }

    /** The taxonomy of the bundled rule packs, loaded once. */
    @Factory
    static class TaxonomyFactory {
        @Singleton
        @Bean
        Taxonomy taxonomy() {
            return Taxonomy.load();
        }
    }

}
