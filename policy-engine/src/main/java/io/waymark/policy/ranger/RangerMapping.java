package io.waymark.policy.ranger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which Ranger resource a Waymark dataset is: rules tried in order, each a regular expression on
 * the dataset's namespace and one on its name with named groups {@code database} and
 * {@code table}. The default maps a dataset named {@code db.table} (or {@code catalog.db.table})
 * in a {@code hive://}, {@code trino://} or Spark-catalog namespace to a Hive service's
 * database/table, and its fields to columns. Configured as
 * {@code NAMESPACE_REGEX => NAME_REGEX; …} (WAYMARK_RANGER_MAPPING).
 */
public final class RangerMapping {
    public static final String DEFAULT = "^(hive|trino)://.*|^spark_catalog$|^spark://.* => ^(?:[^.]+\\.)?(?<database>[^.]+)\\.(?<table>[^.]+)$";

    /** A Hive resource: database, table and (for a field) column. */
    public record Resource(String database, String table) {}

    private record Rule(Pattern namespace, Pattern name) {}

    private final List<Rule> rules;

    private RangerMapping(List<Rule> rules) {
        this.rules = rules;
    }

    public static RangerMapping parse(String spec) {
        List<Rule> rules = new ArrayList<>();
        for (String part : (spec == null || spec.isBlank() ? DEFAULT : spec).split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int arrow = part.indexOf("=>");
            if (arrow < 0) {
                throw new IllegalArgumentException("Ranger mapping '" + part.strip() + "': expected NAMESPACE_REGEX => NAME_REGEX");
            }
            try {
                Pattern name = Pattern.compile(part.substring(arrow + 2).strip());
                if (!name.pattern().contains("(?<database>") || !name.pattern().contains("(?<table>")) {
                    throw new IllegalArgumentException("Ranger mapping '" + part.strip() + "': the name pattern needs groups (?<database>…) and (?<table>…)");
                }
                rules.add(new Rule(Pattern.compile(part.substring(0, arrow).strip()), name));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("Ranger mapping '" + part.strip() + "': " + e.getDescription(), e);
            }
        }
        return new RangerMapping(List.copyOf(rules));
    }

    /** The Hive resource of a dataset, or empty when no rule maps it (it is then not synced). */
    public Optional<Resource> resource(String namespace, String name) {
        for (Rule rule : rules) {
            if (rule.namespace().matcher(namespace).matches()) {
                Matcher m = rule.name().matcher(name);
                if (m.matches()) {
                    return Optional.of(new Resource(m.group("database").toLowerCase(), m.group("table").toLowerCase()));
                }
            }
        }
        return Optional.empty();
    }
}
