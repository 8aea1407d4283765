package io.waymark.catalog.compliance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.graph.EmbeddedRuleGraph;
import io.waymark.catalog.graph.GraphHandle;
import io.waymark.catalog.ingest.InvalidEventException;
import io.waymark.catalog.ingest.Json;
import io.waymark.catalog.journal.Journal;
import io.waymark.catalog.model.Times;
import io.waymark.policy.rules.Finding;
import io.waymark.policy.rules.Rule;
import io.waymark.policy.rules.RuleEngine;
import io.waymark.policy.rules.RulePack;
import io.waymark.policy.taxonomy.Taxonomy;
import jakarta.inject.Singleton;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static io.waymark.catalog.api.JsonView.F;

/**
 * Runs the bundled rule pack against the graph and keeps each finding's history in the journal
 * database: first seen, last seen, and resolved when an evaluation no longer produces it.
 */
@Singleton
public class ComplianceService {
    /** Node key prefix of each kind of rule subject (see NodeId). */
    private static final Map<String, String> PREFIXES = Map.of("Dataset", "dataset:", "Job", "job:", "Field", "datasetField:");
    /** Rules run side by side: a small evaluation is mostly round trips to the graph, not CPU. */
    private final java.util.concurrent.ExecutorService rules = java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "waymark-rule");
        t.setDaemon(true);
        return t;
    });
    private final RulePack pack;
    private final RuleEngine engine;
    private final Driver driver;
    private final Journal journal;

    public ComplianceService(Driver driver, GraphHandle graph, Taxonomy taxonomy, Journal journal) {
        this.pack = RulePack.load();
        this.engine = engine(driver, graph, taxonomy);
        this.driver = driver;
        this.journal = journal;
        // The pack's queries are checked (read-only, compiling) by the engine before a rule first runs:
        // on the first round, in the background, so planning them on a cold JVM (about 16 s on two cores)
        // does not hold up start-up. The bundled pack is checked by RulePackFixturesTest at build time.
    }

    /** Rules run in process when Neo4j is embedded, over Bolt when it is external. */
    public static RuleEngine engine(Driver driver, GraphHandle graph, Taxonomy taxonomy) {
        return graph.embedded()
                .map(e -> new RuleEngine(driver, new EmbeddedRuleGraph(e.database()), taxonomy))
                .orElseGet(() -> new RuleEngine(driver, taxonomy));
    }

    @jakarta.annotation.PreDestroy
    void close() {
        rules.shutdownNow();
    }

    /** The rule pack in force. */
    public RulePack pack() {
        return pack;
    }

    public ObjectNode rules() {
        ArrayNode rules = F.arrayNode();
        for (Rule r : pack.rules()) {
            ObjectNode rule = rules.addObject().put("id", r.id()).put("version", r.version()).put("title", r.title())
                    .put("regulation", r.regulation()).put("citation", r.citation()).put("severity", r.severity())
                    .put("description", r.description()).put("remediation", r.remediation()).put("subject", r.subject());
            ArrayNode facts = rule.putArray("requiredFacts");
            r.requiredFacts().forEach(facts::add);
        }
        ObjectNode body = F.objectNode().put("pack", pack.id()).put("version", pack.version());
        body.set("rules", rules);
        return body;
    }

    /** Evaluates every rule now, records the findings, resolves those that no longer hold, and summarises. */
    public synchronized ObjectNode evaluate() {
        return evaluate((Subjects) null);
    }

    /** Evaluates every rule for these subjects only (an exception changed, a steward asked). */
    public synchronized ObjectNode evaluate(Collection<String> subjects) {
        return evaluate(subjects == null ? null : new Subjects(Set.copyOf(subjects), Set.copyOf(subjects), false));
    }

    /**
     * What a change can affect: {@code local} for rules that look at their subject and its direct
     * neighbours, {@code lineage} (a superset, or null for everything) for rules that look further
     * upstream of their subject; {@code runsOnly}: only run-level facts changed, so only the rules
     * that read runs are evaluated.
     */
    public record Subjects(Set<String> local, Set<String> lineage, boolean runsOnly) {}

    /**
     * Evaluates every rule for the given subjects (null: the whole graph), records the findings
     * and resolves the earlier findings of those rules and subjects that no longer hold.
     */
    public synchronized ObjectNode evaluate(Subjects subjects) {
        long started = System.nanoTime();
        String now = Times.format(Instant.now());
        Map<String, RuleException> exceptions = new HashMap<>();
        journal.jdbi().withExtension(RuleExceptionDao.class, dao -> dao.active(now))
                .forEach(e -> exceptions.put(e.ruleId() + "\n" + e.nodeId(), e));
        List<Finding> findings = new ArrayList<>();
        List<Finding> raw = new ArrayList<>();
        Map<String, Long> ruleMs = new HashMap<>();
        // Per rule, the keys it was evaluated for (absent: all), so only those findings can be resolved.
        Map<String, List<String>> evaluatedFor = new LinkedHashMap<>();
        Map<Set<String>, Set<String>> fieldsCache = new HashMap<>();
        Map<String, java.util.concurrent.Future<List<Finding>>> running = new LinkedHashMap<>();
        for (Rule rule : pack.rules()) {
            Set<String> scope = subjects == null ? null : rule.lineageReach() ? subjects.lineage() : subjects.local();
            List<String> keys = null;
            if (subjects != null && subjects.runsOnly() && !rule.readsRuns()) {
                // Nothing this rule reads changed: it is not evaluated and none of its findings resolve.
                keys = List.of();
            } else if (scope != null) {
                Set<String> candidates = rule.subject().equals("Field") ? fieldsCache.computeIfAbsent(scope, this::withFields) : scope;
                String prefix = PREFIXES.get(rule.subject());
                keys = candidates.stream().filter(k -> k.startsWith(prefix)).toList();
            }
            evaluatedFor.put(rule.id(), keys);
            List<String> only = keys;
            running.put(rule.id(), rules.submit(() -> {
                long t = System.nanoTime();
                List<Finding> found = only != null && only.isEmpty() ? List.of() : engine.evaluate(rule, only);
                synchronized (ruleMs) {
                    ruleMs.put(rule.id(), (System.nanoTime() - t) / 1_000_000);
                }
                return found;
            }));
        }
        for (var future : running.values()) {
            try {
                raw.addAll(future.get());
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while evaluating rules", e);
            }
        }
        Map<String, List<String>> labelEvidence = LabelEvidence.of(driver,
                raw.stream().filter(f -> !f.outcome().equals("PASS")).map(Finding::nodeId).collect(java.util.stream.Collectors.toSet()));
        for (Finding found : raw) {
            Finding f = found;
            List<String> labels = f.outcome().equals("PASS") ? null : labelEvidence.get(f.nodeId());
            if (labels != null) {
                Map<String, Object> evidence = new LinkedHashMap<>(f.evidence());
                evidence.put("automaticLabels", labels);
                f = new Finding(f.id(), f.ruleId(), f.ruleVersion(), f.regulation(), f.severity(), f.outcome(), f.nodeId(), f.title(),
                        evidence, f.remediation());
            }
            RuleException exception = f.outcome().equals("FAIL") ? exceptions.get(f.ruleId() + "\n" + f.nodeId()) : null;
            if (exception == null) {
                findings.add(f);
                continue;
            }
            // An approved exception turns FAIL into EXCEPTED; the finding stays listed with the exception as evidence.
            Map<String, Object> evidence = new LinkedHashMap<>(f.evidence());
            evidence.put("exception", Map.of("id", exception.id(), "justification", exception.justification(),
                    "approver", exception.approver(), "expiresAt", exception.expiresAt()));
            findings.add(new Finding(f.id(), f.ruleId(), f.ruleVersion(), f.regulation(), f.severity(), "EXCEPTED", f.nodeId(), f.title(),
                    evidence, f.remediation()));
        }
        List<FindingRow> rows = new ArrayList<>();
        for (Finding f : findings) {
            rows.add(new FindingRow(f.id(), f.ruleId(), f.ruleVersion(), f.regulation(), f.severity(), f.outcome(), f.nodeId(), f.title(),
                    json(f.evidence()), f.remediation(), now, now, null));
        }
        long recording = System.nanoTime();
        long[] phases = new long[3];
        int resolved = journal.jdbi().inTransaction(h -> {
            phases[0] = System.nanoTime();
            FindingDao dao = h.attach(FindingDao.class);
            if (!rows.isEmpty()) {
                dao.upsert(rows);
            }
            phases[1] = System.nanoTime();
            if (subjects == null) {
                int count = dao.resolveOthers(now);
                // Set on this path too: the summary subtracts it, and a zero made it negative.
                phases[2] = System.nanoTime();
                return count;
            }
            int count = 0;
            for (Map.Entry<String, List<String>> e : evaluatedFor.entrySet()) {
                List<String> keys = e.getValue();
                if (keys == null) {
                    count += dao.resolveOthersOfRule(now, e.getKey());
                    continue;
                }
                // Bounded IN lists: SQLite allows 32,766 variables, PostgreSQL more; stay well below.
                for (int i = 0; i < keys.size(); i += 500) {
                    count += dao.resolveOthersOf(now, e.getKey(), keys.subList(i, Math.min(keys.size(), i + 500)));
                }
            }
            phases[2] = System.nanoTime();
            return count;
        });
        long committed = System.nanoTime();
        Map<String, Integer> byOutcome = new TreeMap<>();
        Map<String, Integer> bySeverity = new TreeMap<>();
        Map<String, Integer> byRegulation = new TreeMap<>();
        findings.forEach(f -> {
            byOutcome.merge(f.outcome(), 1, Integer::sum);
            bySeverity.merge(f.severity(), 1, Integer::sum);
            byRegulation.merge(f.regulation(), 1, Integer::sum);
        });
        ObjectNode body = F.objectNode().put("evaluatedAt", now).put("scope", subjects == null ? "all"
                        : count(subjects.local()) + " subjects, " + count(subjects.lineage()) + " for lineage rules"
                        + (subjects.runsOnly() ? ", rules reading runs only" : ""))
                .put("pack", pack.id()).put("packVersion", pack.version())
                .put("rules", pack.rules().size()).put("findings", findings.size()).put("resolved", resolved)
                .put("durationMs", (System.nanoTime() - started) / 1_000_000)
                .put("recordingMs", (System.nanoTime() - recording) / 1_000_000)
                .put("recording", "open " + ms(phases[0] - recording) + ", upsert " + rows.size() + " in " + ms(phases[1] - phases[0])
                        + ", resolve " + ms(phases[2] - phases[1]) + ", commit " + ms(committed - phases[2]));
        body.set("byOutcome", Json.STRICT.valueToTree(byOutcome));
        body.set("bySeverity", Json.STRICT.valueToTree(bySeverity));
        body.set("byRegulation", Json.STRICT.valueToTree(byRegulation));
        // Where the time went: the slowest rules first, so a pack author sees which check to tune.
        ObjectNode slowest = body.putObject("slowestRulesMs");
        ruleMs.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                .forEach(e -> slowest.put(e.getKey(), e.getValue()));
        return body;
    }

    /** The subjects and the fields of the datasets among them: a field's findings change with its dataset. */
    private Set<String> withFields(Set<String> subjects) {
        Set<String> keys = new LinkedHashSet<>(subjects);
        try (Session session = driver.session()) {
            keys.addAll(session.executeRead(tx -> tx.run("""
                    UNWIND $keys AS k
                    MATCH (:Dataset {key: k})-[:HAS_FIELD]->(f:Field)
                    RETURN f.key AS key""", Map.of("keys", subjects.stream().filter(k -> k.startsWith("dataset:")).toList()))
                    .list(r -> r.get("key").asString())));
        }
        return keys;
    }

    public ObjectNode findings(String regulation, String severity, String outcome, String nodeId, String ruleId, boolean includeResolved, int limit) {
        ArrayNode list = F.arrayNode();
        for (FindingRow r : journal.jdbi().withExtension(FindingDao.class,
                dao -> dao.find(includeResolved, regulation, severity, outcome, nodeId, ruleId, limit))) {
            ObjectNode f = list.addObject().put("id", r.id()).put("ruleId", r.ruleId()).put("ruleVersion", r.ruleVersion())
                    .put("regulation", r.regulation()).put("severity", r.severity()).put("outcome", r.outcome())
                    .put("nodeId", r.nodeId()).put("title", r.title()).put("remediation", r.remediation())
                    .put("firstSeen", r.firstSeen()).put("lastSeen", r.lastSeen()).put("resolvedAt", r.resolvedAt());
            f.set("evidence", JsonView.parse(r.evidence()));
        }
        ObjectNode body = F.objectNode();
        body.set("findings", list);
        return body;
    }

    /**
     * Open findings at the end of each of the last {@code days} days (UTC; today: now), in total and
     * by regulation and outcome, from the findings' first-seen and resolved times.
     */
    public ObjectNode trend(int days) {
        Instant now = Instant.now();
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate first = today.minusDays(days - 1L);
        List<FindingDao.Lifetime> lifetimes = journal.jdbi().withExtension(FindingDao.class,
                dao -> dao.lifetimesSince(first.atStartOfDay(ZoneOffset.UTC).toInstant().toString()));
        // Stored as ISO-8601 instants; parsed once rather than compared as text, since fractions vary in length.
        Instant[] opened = lifetimes.stream().map(f -> Instant.parse(f.firstSeen())).toArray(Instant[]::new);
        Instant[] closed = lifetimes.stream().map(f -> f.resolvedAt() == null ? null : Instant.parse(f.resolvedAt())).toArray(Instant[]::new);
        ArrayNode list = F.arrayNode();
        for (LocalDate day = first; !day.isAfter(today); day = day.plusDays(1)) {
            Instant end = day.equals(today) ? now : day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            Map<String, Integer> byRegulation = new TreeMap<>();
            Map<String, Integer> byOutcome = new TreeMap<>();
            int open = 0;
            for (int i = 0; i < opened.length; i++) {
                if (!opened[i].isAfter(end) && (closed[i] == null || closed[i].isAfter(end))) {
                    FindingDao.Lifetime f = lifetimes.get(i);
                    open++;
                    byRegulation.merge(f.regulation(), 1, Integer::sum);
                    byOutcome.merge(f.outcome(), 1, Integer::sum);
                }
            }
            ObjectNode point = list.addObject().put("date", day.toString()).put("open", open);
            point.set("byRegulation", Json.STRICT.valueToTree(byRegulation));
            point.set("byOutcome", Json.STRICT.valueToTree(byOutcome));
        }
        ObjectNode body = F.objectNode();
        body.set("days", list);
        return body;
    }

    /** Records an approved exception; refused when the rule is unknown or the expiry is not in the future. */
    public ObjectNode addException(String ruleId, String nodeId, String justification, String approver, String requestedBy, Instant expiresAt)
            throws InvalidEventException {
        if (pack.rules().stream().noneMatch(r -> r.id().equals(ruleId))) {
            throw InvalidEventException.invalid("ruleId", "unknown rule '" + ruleId + "'");
        }
        Instant now = Instant.now();
        if (!expiresAt.isAfter(now) || expiresAt.isAfter(now.plus(Duration.ofDays(366)))) {
            throw InvalidEventException.invalid("expiresAt", "an exception expires in the future, within a year");
        }
        RuleException exception = new RuleException(UUID.randomUUID().toString(), ruleId, nodeId, justification, approver,
                requestedBy, Times.format(now), Times.format(expiresAt), null);
        journal.jdbi().useExtension(RuleExceptionDao.class, dao -> dao.insert(exception));
        // The finding turns EXCEPTED now, not at the next evaluation.
        evaluate(List.of(nodeId));
        return exceptionJson(exception);
    }

    public boolean revokeException(String id) {
        var exception = journal.jdbi().withExtension(RuleExceptionDao.class, dao -> dao.byId(id));
        boolean revoked = journal.jdbi().withExtension(RuleExceptionDao.class, dao -> dao.revoke(id, Times.format(Instant.now()))) > 0;
        if (revoked) {
            // The finding is FAIL again now, not at the next evaluation.
            exception.ifPresent(e -> evaluate(List.of(e.nodeId())));
        }
        return revoked;
    }

    public ObjectNode exceptions() {
        ArrayNode list = F.arrayNode();
        journal.jdbi().withExtension(RuleExceptionDao.class, dao -> dao.all(1000)).forEach(e -> list.add(exceptionJson(e)));
        ObjectNode body = F.objectNode();
        body.set("exceptions", list);
        return body;
    }

    private static ObjectNode exceptionJson(RuleException e) {
        return F.objectNode().put("id", e.id()).put("ruleId", e.ruleId()).put("nodeId", e.nodeId()).put("justification", e.justification())
                .put("approver", e.approver()).put("requestedBy", e.requestedBy()).put("createdAt", e.createdAt())
                .put("expiresAt", e.expiresAt()).put("revokedAt", e.revokedAt());
    }

    private static String ms(long nanos) {
        return nanos / 1_000_000 + " ms";
    }

    private static String count(Set<String> keys) {
        return keys == null ? "all" : Integer.toString(keys.size());
    }

    private static String json(Map<String, Object> evidence) {
        try {
            return Json.STRICT.writeValueAsString(evidence);
        } catch (JsonProcessingException e) {
            return "{}";
        }
    }
}
