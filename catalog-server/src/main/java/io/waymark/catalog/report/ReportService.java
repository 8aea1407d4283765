package io.waymark.catalog.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.audit.AuditLog;
import io.waymark.catalog.compliance.ComplianceService;
import io.waymark.catalog.compliance.FindingDao;
import io.waymark.catalog.compliance.FindingRow;
import io.waymark.catalog.compliance.RuleExceptionDao;
import io.waymark.catalog.ingest.Json;
import io.waymark.catalog.journal.Journal;
import io.waymark.catalog.model.Times;
import io.waymark.catalog.projection.Projector;
import io.waymark.policy.rules.Rule;
import io.waymark.policy.rules.RulePack;
import io.waymark.policy.taxonomy.Classification;
import io.waymark.policy.taxonomy.Taxonomy;
import jakarta.inject.Singleton;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

import static io.waymark.catalog.api.JsonView.F;

/**
 * Compliance audit reports: gathers what an auditor needs (cover, summary, findings with their
 * lineage paths, UNKNOWNs apart, exceptions, classification inventory, rules in force), renders
 * it as JSON, CSV or PDF, signs it with the instance key and registers it in the report chain.
 * Issuing is serialised: each report names the manifest digest of the one before.
 */
@Singleton
public class ReportService {
    public static final Set<String> REGULATIONS = Set.of("GDPR", "HIPAA", "SOX", "PCI-DSS", "ALL");
    public static final Set<String> FORMATS = Set.of("pdf", "csv", "json");
    /** Past this many labelled fields the inventory is cut, and says so. */
    static final int MAX_INVENTORY = 20_000;

    /** A signed report file and its place in the chain. */
    public record Issued(byte[] file, long seq, String manifestSha256, String contentType, String fileName) {}

    private final ComplianceService compliance;
    private final Journal journal;
    private final Driver driver;
    private final Projector projector;
    private final AuditLog audit;
    private final ReportKeys keys;
    private final Taxonomy taxonomy;
    private final String packDigest;

    public ReportService(ComplianceService compliance, Journal journal, Driver driver, Projector projector, AuditLog audit, ReportKeys keys,
                         Taxonomy taxonomy) {
        this.compliance = compliance;
        this.journal = journal;
        this.driver = driver;
        this.projector = projector;
        this.audit = audit;
        this.keys = keys;
        this.taxonomy = taxonomy;
        this.packDigest = packDigest();
    }

    public String publicKeyPem() {
        return keys.publicKeyPem();
    }

    public List<ReportRow> recent(int limit) {
        return journal.jdbi().withExtension(ReportDao.class, dao -> dao.recent(limit));
    }

    public java.util.Optional<ReportRow> bySeq(long seq) {
        return journal.jdbi().withExtension(ReportDao.class, dao -> dao.bySeq(seq));
    }

    /** Builds, renders, signs and registers a report; {@code asOf} null: now. */
    public synchronized Issued issue(String regulation, String format, Instant asOf, String generatedBy) {
        Instant now = Instant.now();
        String at = Times.format(asOf == null ? now : asOf);
        // Replicas may issue reports at once: numbers stay unique and each manifest names its predecessor.
        while (true) {
            ReportRow previous = journal.jdbi().withExtension(ReportDao.class, ReportDao::last).orElse(null);
            long seq = previous == null ? 1 : previous.seq() + 1;
            String previousSha = previous == null ? SignedReport.GENESIS : previous.manifestSha256();

            ObjectNode cover = F.objectNode()
                    .put("title", "Waymark compliance report — " + (regulation.equals("ALL") ? "all regulations" : regulation))
                    .put("regulation", regulation)
                    .put("scope", "every namespace in this Waymark instance; rules of " + (regulation.equals("ALL") ? "GDPR, HIPAA, SOX and PCI-DSS" : regulation))
                    .put("asOf", at)
                    .put("generatedAt", Times.format(now))
                    .put("generatedBy", generatedBy)
                    .put("rulePackId", compliance.pack().id())
                    .put("rulePackVersion", compliance.pack().version())
                    .put("rulePackDigest", packDigest)
                    .put("graphWatermark", projector.watermark())
                    .put("auditLogHead", audit.head())
                    .put("reportSeq", seq)
                    .put("previousReportManifestSha256", previousSha)
                    .put("signingKeyId", keys.keyId());
            ObjectNode report = collect(regulation, at, cover);
            byte[] rendered = switch (format) {
                case "json" -> json(report);
                case "csv" -> ReportCsv.render(report);
                case "pdf" -> ReportPdf.render(report);
                default -> throw new IllegalArgumentException("format must be pdf, csv or json");
            };
            byte[] content = SignedReport.content(format, rendered);
            ObjectNode manifest = F.objectNode().put("type", "waymark-report/1").put("seq", seq).put("regulation", regulation)
                    .put("format", format).put("asOf", at).put("generatedAt", cover.path("generatedAt").asText()).put("generatedBy", generatedBy)
                    .put("rulePackVersion", compliance.pack().version()).put("rulePackDigest", packDigest)
                    .put("graphWatermark", projector.watermark()).put("auditLogHead", cover.path("auditLogHead").asText())
                    .put("contentSha256", SignedReport.sha256(content)).put("previousManifestSha256", previousSha).put("keyId", keys.keyId());
            byte[] manifestBytes = JsonView.write(manifest).getBytes(StandardCharsets.UTF_8);
            byte[] file = SignedReport.seal(format, content, manifestBytes, keys.privateKey());
            String manifestSha = SignedReport.sha256(manifestBytes);
            ReportRow row = new ReportRow(seq, cover.path("generatedAt").asText(), generatedBy,
                    regulation, format, manifest.path("contentSha256").asText(), new String(manifestBytes, StandardCharsets.UTF_8), manifestSha);
            // Registered only if no other replica registered a report since this one read the register
            // (the check and the insert hold the journal's write lock); else it is built again on the new last one.
            boolean registered = journal.writeTransaction(h -> {
                ReportDao dao = h.attach(ReportDao.class);
                long last = dao.last().map(ReportRow::seq).orElse(0L);
                if (last != seq - 1) {
                    return false;
                }
                dao.insert(row);
                return true;
            });
            if (!registered) {
                continue;
            }
            String name = "waymark-" + regulation.toLowerCase() + "-report-" + seq + "." + format;
            String type = switch (format) {
                case "pdf" -> "application/pdf";
                case "csv" -> "text/csv; charset=utf-8";
                default -> "application/json";
            };
            return new Issued(file, seq, manifestSha, type, name);
        }
    }

    /** The report's data, the same for every format. */
    ObjectNode collect(String regulation, String at, ObjectNode cover) {
        String only = regulation.equals("ALL") ? null : regulation;
        List<FindingRow> open = journal.jdbi().withExtension(FindingDao.class, dao -> dao.openAt(at, only));
        ObjectNode report = F.objectNode();
        report.set("cover", cover);
        ObjectNode summary = report.putObject("summary");
        Map<String, Map<String, Integer>> bySeverity = new LinkedHashMap<>();
        for (String severity : List.of("critical", "high", "medium", "low", "info")) {
            bySeverity.put(severity, new TreeMap<>(Map.of("FAIL", 0, "EXCEPTED", 0, "UNKNOWN", 0)));
        }
        ArrayNode findings = report.putArray("findings");
        ArrayNode unknowns = report.putArray("unknowns");
        Map<String, JsonNode> evidenceOf = new java.util.HashMap<>();
        open.forEach(f -> evidenceOf.put(f.id(), JsonView.parse(f.evidence())));
        // One query for every subject whose rule reports no path of its own.
        Map<String, List<String>> labelPaths = labelPaths(open.stream()
                .filter(f -> !evidenceOf.get(f.id()).path("lineagePath").isArray()).map(FindingRow::nodeId).distinct().toList());
        for (FindingRow f : open) {
            bySeverity.computeIfAbsent(f.severity(), k -> new TreeMap<>()).merge(f.outcome(), 1, Integer::sum);
            JsonNode evidence = evidenceOf.get(f.id());
            ObjectNode row = (f.outcome().equals("UNKNOWN") ? unknowns : findings).addObject()
                    .put("id", f.id()).put("ruleId", f.ruleId()).put("ruleVersion", f.ruleVersion()).put("regulation", f.regulation())
                    .put("severity", f.severity()).put("outcome", f.outcome()).put("subject", f.nodeId()).put("title", f.title())
                    .put("remediation", f.remediation()).put("firstSeen", f.firstSeen()).put("lastSeen", f.lastSeen());
            if (evidence.path("lineagePath").isArray()) {
                row.set("lineagePath", evidence.path("lineagePath"));
                row.put("lineagePathSource", "rule");
            } else {
                List<String> labelPath = labelPaths.getOrDefault(f.nodeId(), List.of());
                row.set("lineagePath", Json.STRICT.valueToTree(labelPath.isEmpty() ? List.of(f.nodeId()) : labelPath));
                row.put("lineagePathSource", labelPath.isEmpty() ? "subject" : "label");
            }
            if (f.outcome().equals("UNKNOWN")) {
                row.set("missingFacts", evidence.path("missingFacts"));
            }
            row.set("evidence", evidence);
        }
        summary.set("bySeverity", Json.STRICT.valueToTree(bySeverity));
        summary.put("fail", open.stream().filter(f -> f.outcome().equals("FAIL")).count())
                .put("excepted", open.stream().filter(f -> f.outcome().equals("EXCEPTED")).count())
                .put("unknown", open.stream().filter(f -> f.outcome().equals("UNKNOWN")).count());

        Set<String> ruleIds = new java.util.HashSet<>();
        ArrayNode rules = report.putArray("rules");
        for (Rule r : compliance.pack().rules()) {
            if (only == null || r.regulation().equals(only)) {
                ruleIds.add(r.id());
                ObjectNode rule = rules.addObject().put("id", r.id()).put("version", r.version()).put("regulation", r.regulation())
                        .put("severity", r.severity()).put("citation", r.citation()).put("title", r.title());
                rule.set("requiredFacts", Json.STRICT.valueToTree(r.requiredFacts()));
            }
        }
        ArrayNode exceptions = report.putArray("exceptions");
        journal.jdbi().withExtension(RuleExceptionDao.class, dao -> dao.all(10_000)).stream()
                .filter(e -> ruleIds.contains(e.ruleId()))
                .filter(e -> e.createdAt().compareTo(at) <= 0)
                .forEach(e -> exceptions.addObject().put("id", e.id()).put("ruleId", e.ruleId()).put("subject", e.nodeId())
                        .put("justification", e.justification()).put("approver", e.approver()).put("requestedBy", e.requestedBy())
                        .put("createdAt", e.createdAt()).put("expiresAt", e.expiresAt()).put("revokedAt", e.revokedAt()));
        inventory(report, regulation);
        return report;
    }

    /**
     * For findings whose rule reports no lineage path: per subject, the longest path a propagated
     * label on it (or on its fields) travelled, field by field, from the field it was declared on.
     */
    private Map<String, List<String>> labelPaths(List<String> subjects) {
        Map<String, List<String>> paths = new java.util.HashMap<>();
        if (subjects.isEmpty()) {
            return paths;
        }
        try (Session session = driver.session()) {
            session.executeRead(tx -> {
                tx.run("""
                        UNWIND $keys AS key
                        CALL (key) {
                          MATCH (d:Dataset {key: key})-[:HAS_FIELD]->(:Field)-[r:CLASSIFIED_AS]->(:Classification)
                          WHERE r.path IS NOT NULL AND r.status = 'ACTIVE'
                          RETURN r.path AS path
                          UNION
                          MATCH (:Field {key: key})-[r:CLASSIFIED_AS]->(:Classification)
                          WHERE r.path IS NOT NULL AND r.status = 'ACTIVE'
                          RETURN r.path AS path
                        }
                        WITH key, path ORDER BY size(path) DESC
                        RETURN key, head(collect(path)) AS path""", Map.of("keys", subjects))
                        .forEachRemaining(r -> paths.put(r.get("key").asString(), r.get("path").asList(v -> v.asString())));
                return null;
            });
        }
        return paths;
    }

    /** Labelled fields whose codes matter to the regulation (current labels; the graph keeps no label history). */
    private void inventory(ObjectNode report, String regulation) {
        Predicate<String> relevant = code -> {
            Classification c = taxonomy.find(code).orElse(null);
            return switch (regulation) {
                case "GDPR" -> c == null ? code.startsWith("PII") : c.personalData();
                case "HIPAA" -> code.startsWith("PHI.") || (c != null && c.hipaaIdentifier().isPresent());
                case "PCI-DSS" -> code.startsWith("PCI.") || (c != null && c.pciElement().isPresent());
                case "SOX" -> code.startsWith("FIN.");
                default -> true;
            };
        };
        ArrayNode inventory = report.putArray("classificationInventory");
        int[] count = {0};
        boolean[] truncated = {false};
        try (Session session = driver.session()) {
            session.executeRead(tx -> {
                tx.run("""
                        MATCH (d:Dataset)-[:HAS_FIELD]->(f:Field)-[r:CLASSIFIED_AS]->(c:Classification)
                        WHERE NOT coalesce(d.deleted, false) AND r.status IN ['ACTIVE', 'CONFIRMED', 'DETECTED', 'PROPOSED']
                        RETURN d.key AS dataset, f.name AS field, c.code AS code, r.status AS status,
                               coalesce(r.protection, 'CLEAR') AS protection, r.source AS source
                        ORDER BY dataset, field, code""").stream().forEach(r -> {
                    if (!relevant.test(r.get("code").asString())) {
                        return;
                    }
                    if (count[0]++ >= MAX_INVENTORY) {
                        truncated[0] = true;
                        return;
                    }
                    inventory.addObject().put("dataset", r.get("dataset").asString()).put("field", r.get("field").asString())
                            .put("code", r.get("code").asString()).put("status", r.get("status").asString())
                            .put("protection", r.get("protection").asString()).put("source", r.get("source").asString(null));
                });
                return null;
            });
        }
        report.with("summary").put("labelledFields", count[0]).put("inventoryTruncated", truncated[0]);
    }

    private static byte[] json(ObjectNode report) {
        try {
            return Json.STRICT.writerWithDefaultPrettyPrinter().writeValueAsBytes(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 over pack.yaml and every rule file it lists, in order: which exact rules were in force. */
    static String packDigest() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(resource(RulePack.BASE + "pack.yaml"));
            for (Object file : (List<?>) RulePack.yaml(RulePack.BASE + "pack.yaml").get("rules")) {
                digest.update(resource(RulePack.BASE + file));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = ReportService.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
