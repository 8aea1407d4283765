package io.waymark.catalog.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The report as one CSV table for a spreadsheet: a {@code section} column (cover, summary,
 * finding, unknown, exception, classification, rule) and the same columns for every row.
 * RFC 4180 quoting; a cell that a spreadsheet would run as a formula (=, +, -, @ first) gets a
 * leading apostrophe, since names come from producers.
 */
final class ReportCsv {
    static final List<String> HEADER = List.of("section", "id", "rule", "regulation", "severity", "outcome", "subject", "title",
            "lineage_path", "remediation", "first_seen", "last_seen", "detail");

    private ReportCsv() {}

    static byte[] render(ObjectNode report) {
        StringBuilder out = new StringBuilder();
        row(out, HEADER);
        report.path("cover").fields().forEachRemaining(e -> row(out, line("cover", e.getKey(), "", "", "", "", "", "", "", "", "", "", e.getValue().asText())));
        report.path("summary").path("bySeverity").fields().forEachRemaining(e -> e.getValue().fields().forEachRemaining(o ->
                row(out, line("summary", "", "", "", e.getKey(), o.getKey(), "", "", "", "", "", "", o.getValue().asText()))));
        for (String section : new String[] {"findings", "unknowns"}) {
            for (JsonNode f : report.path(section)) {
                row(out, line(section.equals("findings") ? "finding" : "unknown", f.path("id").asText(), f.path("ruleId").asText(),
                        f.path("regulation").asText(), f.path("severity").asText(), f.path("outcome").asText(), f.path("subject").asText(),
                        f.path("title").asText(), path(f.path("lineagePath")), f.path("remediation").asText(), f.path("firstSeen").asText(),
                        f.path("lastSeen").asText(), section.equals("unknowns") ? "missing facts: " + path(f.path("missingFacts")) : ""));
            }
        }
        for (JsonNode e : report.path("exceptions")) {
            row(out, line("exception", e.path("id").asText(), e.path("ruleId").asText(), "", "", "", e.path("subject").asText(),
                    e.path("justification").asText(), "", "", e.path("createdAt").asText(), e.path("expiresAt").asText(),
                    "approver: " + e.path("approver").asText() + (e.path("revokedAt").isNull() ? "" : "; revoked " + e.path("revokedAt").asText())));
        }
        for (JsonNode c : report.path("classificationInventory")) {
            row(out, line("classification", c.path("code").asText(), "", "", "", c.path("status").asText(),
                    c.path("dataset").asText() + "." + c.path("field").asText(), "", "", "", "", "",
                    "protection: " + c.path("protection").asText() + "; source: " + c.path("source").asText()));
        }
        for (JsonNode r : report.path("rules")) {
            row(out, line("rule", r.path("id").asText(), r.path("id").asText(), r.path("regulation").asText(), r.path("severity").asText(), "",
                    "", r.path("title").asText(), "", "", "", "", r.path("citation").asText() + " (version " + r.path("version").asText() + ")"));
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> line(String... cells) {
        return List.of(cells);
    }

    static String path(JsonNode nodes) {
        List<String> parts = new ArrayList<>();
        nodes.forEach(n -> parts.add(n.asText()));
        return String.join(" > ", parts);
    }

    private static void row(StringBuilder out, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(cell(cells.get(i)));
        }
        out.append("\r\n");
    }

    static String cell(String value) {
        String v = value == null ? "" : value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }
}
