package io.waymark.policy.rules;

import io.waymark.policy.taxonomy.Classification;
import io.waymark.policy.taxonomy.Taxonomy;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.summary.Plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates rules against the graph. A rule's queries must be read-only (checked on the EXPLAIN
 * plan before they ever run), run in read transactions with the rule's timeout, and get every
 * value as a parameter. A subject in a rule's scope that lacks a required fact is UNKNOWN.
 */
public final class RuleEngine {
    private static final String SUBJECTS = "waymarkSubjects";
    private static final String FACTS = "waymarkRequiredFacts";
    /** How a rule names its subject: {@code RETURN [DISTINCT] <var>.key AS subject} (the last one counts). */
    private static final Pattern SUBJECT_VAR = Pattern.compile("RETURN\\s+(?:DISTINCT\\s+)?([A-Za-z_][A-Za-z0-9_]*)\\.key\\s+AS\\s+subject\\b");
    private static final List<String> WRITE_OPERATORS = List.of("Create", "Merge", "Delete", "Set", "Remove", "Foreach", "LoadCSV", "Procedure", "Transaction");

    private final Driver driver;
    private final RuleGraph graph;
    private final Map<String, Object> common;
    private final Set<Rule> validated = ConcurrentHashMap.newKeySet();
    /** Per rule id, what its last evaluations took (see {@link #lists}). */
    private final Map<String, Costs> costs = new ConcurrentHashMap<>();

    /**
     * Nanoseconds of a rule's last whole-graph evaluation and per subject of its last listed one (-1 until
     * measured), and whether the listed form has run once (its plan made).
     */
    record Costs(long whole, double perSubject, boolean listedSeen) {
        /**
         * What a listed cost is taken as each time the rule runs whole for a list instead: a listed
         * form is tried again after a while and measured afresh. Without it a listed cost measured
         * high once (a round beside a busy projection, a plan still cold) kept the rule whole for good:
         * in {@code compliance.sh} three rules stayed whole at 23–114 ms a round for 21 subjects.
         */
        static final double FORGET = 0.8;

        static final Costs NONE = new Costs(-1, -1, false);

        /** Whether this many subjects are evaluated listed: until both costs are known, and while listed costs no more. */
        boolean lists(int subjects) {
            return whole < 0 || perSubject < 0 || (double) subjects * perSubject <= whole;
        }

        /** After a whole evaluation chosen over a listed one. */
        Costs forgetting() {
            return new Costs(whole, perSubject * FORGET, listedSeen);
        }

        Costs measuredWhole(long nanos) {
            return new Costs(nanos, perSubject, listedSeen);
        }

        /** A listed evaluation of {@code subjects}: the first one plans the query, so it is no measure. */
        Costs measuredListed(int subjects, long nanos) {
            return new Costs(whole, listedSeen ? (double) nanos / subjects : -1, true);
        }
    }

    public RuleEngine(Driver driver, Taxonomy taxonomy) {
        this(driver, RuleGraph.of(driver), taxonomy);
    }

    /** Queries are checked through {@code driver} (EXPLAIN plans) and run through {@code graph}. */
    public RuleEngine(Driver driver, RuleGraph graph, Taxonomy taxonomy) {
        this.driver = driver;
        this.graph = graph;
        // Taxonomy-derived code lists every rule may use, so rules name families, not hard-coded codes.
        this.common = Map.of(
                "personalCodes", codes(taxonomy, Classification::personalData),
                "directIdentifierCodes", codes(taxonomy, Classification::directIdentifier),
                "specialCodes", codes(taxonomy, Classification::gdprSpecial),
                "subjectKeyCodes", codes(taxonomy, Classification::subjectKey),
                "hipaaIdentifierCodes", codes(taxonomy, c -> c.hipaaIdentifier().isPresent() && !c.safeHarborAllowed()),
                "ldsExcludedCodes", codes(taxonomy, c -> c.hipaaIdentifier().isPresent() && !c.safeHarborAllowed() && !c.ldsAllowed()));
    }

    private static List<String> codes(Taxonomy taxonomy, java.util.function.Predicate<Classification> filter) {
        return taxonomy.all().stream().filter(filter).map(Classification::code).sorted().toList();
    }

    /** Refuses a rule whose queries could write (or do not compile), naming the operator. */
    public void validate(Rule rule) {
        // A rule is a record: the same queries and params are checked once, not at every evaluation.
        if (validated.contains(rule)) {
            return;
        }
        Map<String, Object> params = params(rule, List.of());
        for (String query : queries(rule)) {
            // Both forms are checked: the whole-graph query and the one restricted to given subjects.
            for (String form : restricted(query, rule) == null ? List.of(query) : List.of(query, restricted(query, rule))) {
                Plan plan;
                try (Session session = driver.session()) {
                    plan = session.executeRead(tx -> tx.run("EXPLAIN " + form, params).consume().plan());
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(rule.id() + ": query does not compile: " + e.getMessage(), e);
                }
                String writer = writer(plan);
                if (writer != null) {
                    throw new IllegalArgumentException(rule.id() + ": query is not read-only (plan has " + writer + ")");
                }
            }
        }
        validated.add(rule);
    }

    public List<Finding> evaluate(Rule rule) {
        return evaluate(rule, null);
    }

    /**
     * Evaluates a rule for the given subject keys only (null: every subject), listed or whole as
     * {@link #lists} says: the same findings either way.
     */
    public List<Finding> evaluate(Rule rule, Collection<String> only) {
        boolean listed = only != null && lists(rule, only.size());
        if (only != null && !listed) {
            costs.computeIfPresent(rule.id(), (id, c) -> c.forgetting());
        }
        return evaluate(rule, only, listed);
    }

    /**
     * Whether an evaluation for this many subjects binds them in the rule's query rather than runs
     * the whole-graph query and keeps their rows. A listed subject is sought by key and the rule's
     * pattern starts there; over the whole graph most rules start at a few selective nodes
     * (classification codes, annotated datasets), so past some number of subjects the whole query
     * costs less (a 177,000-dataset graph: the pack over everything in 0.75–1.0 s, for 16,000
     * listed subjects in 10.8 s). The rule's last measured costs decide: listed while that many
     * subjects at its last cost per listed subject take no longer than its last whole evaluation,
     * and until both have been measured. A rule's first listed evaluation is not a measure: its
     * query is planned then (a first listed round of 253 subjects took 3.6 s, a later one of 1,004
     * 0.6 s), and taken as one it kept a rule whole for rounds of 29 subjects. A first whole one
     * (the start-up round) counts: its cost overstated only keeps subjects listed, as before. Each
     * time a list goes whole its listed cost is taken lower ({@link Costs#FORGET}), so it is measured again in time.
     */
    public boolean lists(Rule rule, int subjects) {
        return costs.getOrDefault(rule.id(), Costs.NONE).lists(subjects);
    }

    /**
     * Evaluates a rule for the given subject keys only (null: every subject). When {@code listed},
     * the query's subject variable (the one it returns as {@code <var>.key AS subject}) is bound to
     * those nodes before the rule's own MATCH runs, so the cost follows the number of subjects, not
     * the graph; otherwise (and for a rule whose subject variable cannot be told) the whole-graph
     * query runs and its rows are filtered to the subjects.
     */
    public List<Finding> evaluate(Rule rule, Collection<String> only, boolean listed) {
        validate(rule);
        boolean bound = listed && only != null;
        Map<String, Object> params = params(rule, only == null ? List.of() : List.copyOf(only));
        Set<String> wanted = only == null ? null : new HashSet<>(only);
        String scopeQuery = !bound || rule.scope() == null ? rule.scope() : orWhole(restricted(rule.scope(), rule), rule.scope());
        String mainQuery = !bound ? rule.query() : orWhole(restricted(rule.query(), rule), rule.query());
        Map<String, Finding> findings = new LinkedHashMap<>();
        // One read transaction per rule: the scope with its facts check, then the check itself.
        // Round trips dominate small evaluations, so the facts come back as "missing" lists only.
        String factsQuery = scopeQuery == null || rule.requiredFacts().isEmpty() ? null
                : "CALL () {\n" + scopeQuery + "\n}\nWITH DISTINCT subject\nMATCH (n:" + rule.subject() + " {key: subject})\n"
                  + "WITH subject, [f IN $" + FACTS + " WHERE n[f] IS NULL] AS missing WHERE size(missing) > 0\nRETURN subject, missing";
        Map<String, Object> all = new HashMap<>(params);
        all.put(FACTS, rule.requiredFacts());
        List<String> queries = factsQuery == null ? List.of(mainQuery) : List.of(factsQuery, mainQuery);
        long started = System.nanoTime();
        List<List<Map<String, Object>>> results = graph.read(queries, all, Duration.ofSeconds(rule.timeoutSeconds()));
        measured(rule, bound ? only.size() : -1, System.nanoTime() - started);
        List<Map<String, Object>> missing = factsQuery == null ? List.of() : results.get(0);
        for (Map<String, Object> r : missing) {
            String key = (String) r.get("subject");
            if (wanted == null || wanted.contains(key)) {
                findings.put(key, finding(rule, key, "UNKNOWN", Map.of("missingFacts", r.get("missing"))));
            }
        }
        for (Map<String, Object> r : results.get(results.size() - 1)) {
            String subject = (String) r.get("subject");
            if (subject == null || (wanted != null && !wanted.contains(subject))) {
                continue;
            }
            String outcome = r.get("outcome") instanceof String o ? o : "FAIL";
            if (!outcome.equals("FAIL") && !outcome.equals("UNKNOWN")) {
                continue;
            }
            Map<String, Object> evidence = new LinkedHashMap<>();
            // Column order as the rule returns them, so evidence reads the way the rule author wrote it.
            for (Map.Entry<String, Object> e : r.entrySet()) {
                if (!e.getKey().equals("subject") && !e.getKey().equals("outcome")) {
                    evidence.put(e.getKey(), e.getValue());
                }
            }
            findings.putIfAbsent(subject, finding(rule, subject, outcome, evidence));
        }
        return new ArrayList<>(findings.values());
    }


    /** Keeps what an evaluation took: over the whole graph ({@code listed} -1), or per listed subject (not the first listed one). */
    private void measured(Rule rule, int listed, long nanos) {
        if (listed == 0) {
            return;
        }
        costs.compute(rule.id(), (id, c) -> {
            Costs was = c == null ? Costs.NONE : c;
            return listed < 0 ? was.measuredWhole(nanos) : was.measuredListed(listed, nanos);
        });
    }

    private Map<String, Object> params(Rule rule, List<String> subjects) {
        Map<String, Object> params = new HashMap<>(common);
        params.putAll(rule.params());
        params.put("now", ZonedDateTime.now(ZoneOffset.UTC));
        params.put(SUBJECTS, subjects);
        return params;
    }

    /** The query with its subject variable bound to {@code $waymarkSubjects}, or null when the variable cannot be told. */
    static String restricted(String query, Rule rule) {
        Matcher m = SUBJECT_VAR.matcher(query);
        String variable = null;
        while (m.find()) {
            variable = m.group(1);
        }
        if (variable == null) {
            return null;
        }
        // DISTINCT makes the binding a planning horizon: with a plain WITH the planner may inline it
        // and start from whatever it estimates smaller (measured: a rule began at the 3 personal-data
        // Classification nodes and walked 2,195 labelled fields, 75,000 db hits, for 20 subjects).
        return "MATCH (" + variable + ":" + rule.subject() + ") WHERE " + variable + ".key IN $" + SUBJECTS + "\nWITH DISTINCT " + variable + "\n" + query;
    }

    private static String orWhole(String restricted, String whole) {
        return restricted != null ? restricted : whole;
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
