package io.waymark.policy.rules;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The rule pack shipped in compliance-rules ({@code waymark/rules/pack.yaml}), loaded and checked. */
public record RulePack(String id, String version, List<Rule> rules) {
    public static final String BASE = "waymark/rules/";
    private static final Set<String> REGULATIONS = Set.of("GDPR", "HIPAA", "SOX", "PCI-DSS");
    private static final Set<String> SEVERITIES = Set.of("critical", "high", "medium", "low", "info");
    private static final Set<String> SUBJECTS = Set.of("Dataset", "Field", "Job");
    private static final Pattern ID = Pattern.compile("(GDPR|HIPAA|SOX|PCI)-[A-Za-z0-9.]+-[A-Z0-9-]+");
    private static final Pattern SEMVER = Pattern.compile("\\d+\\.\\d+\\.\\d+");
    /**
     * What in a query reads run-level facts: Run nodes, a run's READ/WROTE edges, a job's latest
     * run, data-quality results. A rule that does so must say {@code reads: [graph, runs]}, or a
     * routine run would leave its findings stale; checked here rather than trusted.
     */
    private static final Pattern RUN_FACTS = Pattern.compile(":\\s*Run\\b|:\\s*HAS_RUN\\b|:\\s*(READ|WROTE)\\b|latestRun|\\bdq(Checked|Failed)\\b");
    private static final Set<String> FACT_KINDS = Set.of("graph", "runs");

    public static RulePack load() {
        Map<String, Object> pack = yaml(BASE + "pack.yaml");
        if (!"RulePack".equals(pack.get("kind"))) {
            throw new IllegalArgumentException("pack.yaml: kind must be RulePack");
        }
        List<Rule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Object file : list(pack, "rules", "pack.yaml")) {
            Rule rule = parse(String.valueOf(file), yaml(BASE + file));
            if (!ids.add(rule.id())) {
                throw new IllegalArgumentException(file + ": duplicate rule id " + rule.id());
            }
            rules.add(rule);
        }
        return new RulePack(String.valueOf(pack.get("id")), String.valueOf(pack.get("version")), List.copyOf(rules));
    }

    @SuppressWarnings("unchecked")
    static Rule parse(String file, Map<String, Object> r) {
        if (!"Rule".equals(r.get("kind"))) {
            throw new IllegalArgumentException(file + ": kind must be Rule");
        }
        String id = text(r, "id", file);
        if (!ID.matcher(id).matches() || !file.endsWith("/" + id + ".yaml")) {
            throw new IllegalArgumentException(file + ": id must look like GDPR-A44-SLUG and match the file name");
        }
        String version = text(r, "version", file);
        if (!SEMVER.matcher(version).matches()) {
            throw new IllegalArgumentException(file + ": version must be semver");
        }
        String regulation = text(r, "regulation", file);
        if (!REGULATIONS.contains(regulation)) {
            throw new IllegalArgumentException(file + ": regulation must be one of " + REGULATIONS);
        }
        String severity = text(r, "severity", file);
        if (!SEVERITIES.contains(severity)) {
            throw new IllegalArgumentException(file + ": severity must be one of " + SEVERITIES);
        }
        String subject = text(r, "subject", file);
        if (!SUBJECTS.contains(subject)) {
            throw new IllegalArgumentException(file + ": subject must be one of " + SUBJECTS);
        }
        Map<String, Object> facts = r.get("facts") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        List<String> required = facts.get("required") instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
        Map<String, Object> check = r.get("check") instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
        if (check == null) {
            throw new IllegalArgumentException(file + ": check is required");
        }
        String scope = check.get("scope") instanceof String s ? s : null;
        if (!required.isEmpty() && scope == null) {
            throw new IllegalArgumentException(file + ": a rule with required facts needs check.scope to find subjects missing them");
        }
        List<String> tests = list(r, "tests", file).stream().map(String::valueOf).toList();
        if (tests.stream().noneMatch(t -> t.contains("/fail-")) || tests.stream().noneMatch(t -> t.contains("/pass-"))) {
            throw new IllegalArgumentException(file + ": needs at least one fail- and one pass- fixture");
        }
        Map<String, Object> params = r.get("params") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        int timeout = check.get("timeout_s") instanceof Integer t ? t : 30;
        Object reach = check.getOrDefault("reach", "local");
        if (!"local".equals(reach) && !"lineage".equals(reach)) {
            throw new IllegalArgumentException(file + ": check.reach must be local or lineage");
        }
        List<String> reads = check.get("reads") instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of("graph");
        if (!FACT_KINDS.containsAll(reads) || !reads.contains("graph")) {
            throw new IllegalArgumentException(file + ": check.reads lists graph and optionally runs");
        }
        String query = text(check, "query", file);
        boolean readsRuns = reads.contains("runs");
        if (!readsRuns && (RUN_FACTS.matcher(query).find() || (scope != null && RUN_FACTS.matcher(scope).find()))) {
            throw new IllegalArgumentException(file + ": the check reads run-level facts (runs, READ/WROTE, latestRun*, dq*); declare check.reads: [graph, runs]");
        }
        return new Rule(id, version, text(r, "title", file), regulation, text(r, "citation", file), severity,
                text(r, "description", file).strip(), text(r, "remediation", file).strip(), subject, required, params,
                scope, query, timeout, "lineage".equals(reach), readsRuns, tests);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> yaml(String resource) {
        try (InputStream in = RulePack.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("missing rule pack resource " + resource);
            }
            Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            if (!(doc instanceof Map<?, ?>)) {
                throw new IllegalArgumentException(resource + ": expected a mapping");
            }
            return (Map<String, Object>) doc;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(Map<String, Object> map, String key, String file) {
        Object value = map.get(key);
        if (!(value instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException(file + ": " + key + " is required");
        }
        return s;
    }

    private static List<?> list(Map<String, Object> map, String key, String file) {
        if (!(map.get(key) instanceof List<?> l) || l.isEmpty()) {
            throw new IllegalArgumentException(file + ": " + key + " must be a non-empty list");
        }
        return l;
    }
}
