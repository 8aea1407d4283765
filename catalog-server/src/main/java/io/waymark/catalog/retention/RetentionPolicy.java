package io.waymark.catalog.retention;

import io.waymark.catalog.model.Globs;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How long each kind of record is kept. Raw lineage events and run history: a default and
 * per-namespace overrides (first matching glob wins; a namespace no rule covers and no default
 * keeps everything). Findings and incidents: resolved ones older than their period go. The audit
 * log: entries older than its period go behind a signed checkpoint. Absent means keep forever.
 */
public record RetentionPolicy(Duration events, List<NamespaceRule> namespaces, Duration findings, Duration incidents, Duration audit) {
    /** A namespace glob and how long that namespace's events are kept. */
    public record NamespaceRule(String glob, Pattern pattern, Duration events) {}

    public boolean empty() {
        return events == null && namespaces.isEmpty() && findings == null && incidents == null && audit == null;
    }

    /** The event time before which an event of {@code namespace} is past retention, or null when it is kept forever. */
    Instant eventCut(String namespace, Instant now) {
        for (NamespaceRule rule : namespaces) {
            if (rule.pattern().matcher(namespace).matches()) {
                return rule.events() == null ? null : now.minus(rule.events());
            }
        }
        return events == null ? null : now.minus(events);
    }

    /** Whether an entry with these namespaces and event time is past retention (any namespace past its cut is enough). */
    boolean old(List<String> entryNamespaces, String eventTime, Instant now) {
        for (String ns : entryNamespaces) {
            Instant cut = eventCut(ns, now);
            if (cut != null && Instant.parse(eventTime).isBefore(cut)) {
                return true;
            }
        }
        return false;
    }

    Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("events", text(events));
        Map<String, Object> ns = new LinkedHashMap<>();
        namespaces.forEach(r -> ns.put(r.glob(), text(r.events())));
        d.put("namespaces", ns);
        d.put("findings", text(findings));
        d.put("incidents", text(incidents));
        d.put("audit", text(audit));
        return d;
    }

    /** As people write it: whole days as {@code P90D} (Duration alone would say PT2160H). */
    static String text(Duration d) {
        if (d == null) {
            return null;
        }
        return d.toSeconds() % 86_400 == 0 && d.toNanosPart() == 0 ? "P" + d.toDays() + "D" : d.toString();
    }

    /**
     * A policy from settings: ISO-8601 durations ({@code P90D}, {@code PT12H}) and namespace rules
     * as {@code glob=duration} separated by commas ({@code prod-*=P365D,dev-*=P7D}); blank means
     * not set. Anything else is refused with the setting's name.
     */
    public static RetentionPolicy parse(String events, String namespaces, String findings, String incidents, String audit, Duration minAudit) {
        List<NamespaceRule> rules = new ArrayList<>();
        if (namespaces != null && !namespaces.isBlank()) {
            for (String part : namespaces.split(",")) {
                int eq = part.lastIndexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("namespaces: '" + part.strip() + "' is not glob=duration (for example prod-*=P365D)");
                }
                String glob = part.substring(0, eq).strip();
                rules.add(new NamespaceRule(glob, Globs.pattern(glob, false), duration("namespaces", part.substring(eq + 1))));
            }
        }
        Duration auditPeriod = duration("audit", audit);
        if (auditPeriod != null && auditPeriod.compareTo(minAudit) < 0) {
            // The audit log is evidence: a slip of the finger must not empty it (waymark.retention.min-audit).
            throw new IllegalArgumentException("audit: at least " + minAudit + " (the audit log is evidence), got " + audit.strip());
        }
        return new RetentionPolicy(duration("events", events), List.copyOf(rules), duration("findings", findings),
                duration("incidents", incidents), auditPeriod);
    }

    public static Duration duration(String setting, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            Duration d = Duration.parse(text.strip());
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(setting + ": the period must be positive, got " + text.strip());
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(setting + ": '" + text.strip()
                    + "' is not an ISO-8601 duration such as P90D or PT12H");
        }
    }
}
