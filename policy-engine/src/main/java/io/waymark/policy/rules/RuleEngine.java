package io.waymark.policy.rules;

import io.waymark.policy.taxonomy.Classification;
import io.waymark.policy.taxonomy.Taxonomy;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.TransactionConfig;
import org.neo4j.driver.summary.Plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates rules against the graph. A rule's queries must be read-only (checked on the EXPLAIN
 * plan before they ever run), run in read transactions with the rule's timeout, and get every
 * value as a parameter. A subject in a rule's scope that lacks a required fact is UNKNOWN.
 */
public final class RuleEngine {
    private static final List<String> WRITE_OPERATORS = List.of("Create", "Merge", "Delete", "Set", "Remove", "Foreach", "LoadCSV", "Procedure", "Transaction");

    private final Driver driver;
    private final Map<String, Object> common;
    private final Set<Rule> validated = ConcurrentHashMap.newKeySet();

    public RuleEngine(Driver driver, Taxonomy taxonomy) {
        this.driver = driver;
        List<String> personal = taxonomy.all().stream().filter(Classification::personalData).map(Classification::code).sorted().toList();
        List<String> identifiers = taxonomy.all().stream().filter(c -> c.hipaaIdentifier().isPresent() && !c.safeHarborAllowed())
                .map(Classification::code).sorted().toList();
        // Taxonomy-derived code lists every rule may use, so rules name families, not hard-coded codes.
        this.common = Map.of("personalCodes", personal, "hipaaIdentifierCodes", identifiers);
    }

    /** Refuses a rule whose queries could write (or do not compile), naming the operator. */
    public void validate(Rule rule) {
        // A rule is a record: the same queries and params are checked once, not at every evaluation.
        if (validated.contains(rule)) {
            return;
        }
        for (String query : queries(rule)) {
            Plan plan;
            try (Session session = driver.session()) {
                plan = session.executeRead(tx -> tx.run("EXPLAIN " + query, params(rule)).consume().plan());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(rule.id() + ": query does not compile: " + e.getMessage(), e);
            }
            String writer = writer(plan);
            if (writer != null) {
                throw new IllegalArgumentException(rule.id() + ": query is not read-only (plan has " + writer + ")");
            }
        }
        validated.add(rule);
    }

    public List<Finding> evaluate(Rule rule) {
        validate(rule);
        Map<String, Object> params = params(rule);
        TransactionConfig config = TransactionConfig.builder().withTimeout(Duration.ofSeconds(rule.timeoutSeconds())).build();
        Map<String, Finding> findings = new LinkedHashMap<>();
        try (Session session = driver.session()) {
            if (rule.scope() != null && !rule.requiredFacts().isEmpty()) {
                List<String> subjects = session.executeRead(tx -> tx.run(rule.scope(), params).list(r -> r.get("subject").asString()), config);
                String label = rule.subject();
                List<Record> facts = session.executeRead(tx -> tx.run(
                        "UNWIND $keys AS k MATCH (n:" + label + " {key: k}) RETURN n.key AS key, properties(n) AS props",
                        Map.of("keys", subjects)).list(), config);
                for (Record r : facts) {
                    Map<String, Object> props = r.get("props").asMap();
                    List<String> missing = rule.requiredFacts().stream().filter(f -> props.get(f) == null).toList();
                    if (!missing.isEmpty()) {
                        String key = r.get("key").asString();
                        findings.put(key, finding(rule, key, "UNKNOWN", Map.of("missingFacts", missing)));
                    }
                }
            }
            for (Record r : session.executeRead(tx -> tx.run(rule.query(), params).list(), config)) {
                String subject = r.get("subject").asString();
                String outcome = r.containsKey("outcome") && !r.get("outcome").isNull() ? r.get("outcome").asString() : "FAIL";
                if (!outcome.equals("FAIL") && !outcome.equals("UNKNOWN")) {
                    continue;
                }
                Map<String, Object> evidence = new LinkedHashMap<>();
                for (String k : r.keys()) {
                    if (!k.equals("subject") && !k.equals("outcome")) {
                        evidence.put(k, r.get(k).asObject());
                    }
                }
                findings.putIfAbsent(subject, finding(rule, subject, outcome, evidence));
            }
        }
        return new ArrayList<>(findings.values());
    }

    public List<Finding> evaluate(RulePack pack) {
        List<Finding> all = new ArrayList<>();
        pack.rules().forEach(rule -> all.addAll(evaluate(rule)));
        return all;
    }

    private Map<String, Object> params(Rule rule) {
        Map<String, Object> params = new HashMap<>(common);
        params.putAll(rule.params());
        params.put("now", ZonedDateTime.now(ZoneOffset.UTC));
        return params;
    }

    private static List<String> queries(Rule rule) {
        return rule.scope() == null ? List.of(rule.query()) : List.of(rule.scope(), rule.query());
    }

    private static String writer(Plan plan) {
        for (String op : WRITE_OPERATORS) {
            if (plan.operatorType().contains(op)) {
                return plan.operatorType();
            }
        }
        for (Plan child : plan.children()) {
            String w = writer(child);
            if (w != null) {
                return w;
            }
        }
        return null;
    }

    private static Finding finding(Rule rule, String subject, String outcome, Map<String, Object> evidence) {
        return new Finding(stableId(rule.id() + "\n" + subject), rule.id(), rule.version(), rule.regulation(), rule.severity(), outcome,
                subject, rule.title(), evidence, rule.remediation());
    }

    private static String stableId(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
