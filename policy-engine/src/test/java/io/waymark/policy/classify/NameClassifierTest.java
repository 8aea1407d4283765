package io.waymark.policy.classify;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Classification on arrival (names, types, descriptions; no values) measured on a labelled set
 * of 340 columns from CRM, payments, health, HR, web, dbt, Spark and legacy schemas, a third of
 * them sensitive, with hard negatives: counts, flags, codes, years, ids, amounts and columns
 * about a value rather than the value ({@code email_verified}, {@code credit_card_amount}).
 */
class NameClassifierTest {
    private final NameClassifier classifier = new NameClassifier();

    record Row(String dataset, String column, String type, String description, String expected) {}

    @Test
    void autoAppliedLabelsHoldPrecisionOnTheLabelledSet() throws IOException {
        Map<String, List<Row>> datasets = new LinkedHashMap<>();
        for (Row row : labelled()) {
            datasets.computeIfAbsent(row.dataset(), k -> new ArrayList<>()).add(row);
        }
        int detected = 0, detectedRight = 0, proposed = 0, proposedRight = 0, sensitive = 0, found = 0, foundAuto = 0;
        List<String> wrong = new ArrayList<>();
        for (List<Row> rows : datasets.values()) {
            Map<String, List<Label>> labels = classifier.classify(rows.stream()
                    .map(r -> new NameClassifier.Column(r.column(), blank(r.type()), blank(r.description()))).toList());
            for (Row row : rows) {
                boolean hit = false, hitAuto = false;
                for (Label label : labels.get(row.column())) {
                    boolean right = label.code().equals(row.expected());
                    if (label.status().equals(Label.DETECTED)) {
                        detected++;
                        detectedRight += right ? 1 : 0;
                        if (!right) {
                            wrong.add(row.dataset() + "." + row.column() + " DETECTED " + label.code());
                        }
                    } else {
                        proposed++;
                        proposedRight += right ? 1 : 0;
                    }
                    hit |= right;
                    hitAuto |= right && label.status().equals(Label.DETECTED);
                }
                if (!row.expected().isEmpty()) {
                    sensitive++;
                    found += hit ? 1 : 0;
                    foundAuto += hitAuto ? 1 : 0;
                }
            }
        }
        double precision = (double) detectedRight / detected;
        System.out.printf(Locale.ROOT, "labelled columns: %d (%d sensitive); DETECTED %d, precision %.3f; PROPOSED %d (%d right);"
                        + " recall DETECTED %.3f, DETECTED or PROPOSED %.3f; wrong: %s%n",
                datasets.values().stream().mapToInt(List::size).sum(), sensitive, detected, precision, proposed, proposedRight,
                (double) foundAuto / sensitive, (double) found / sensitive, wrong);
        assertTrue(precision >= 0.95, "precision of auto-applied labels " + precision + "; wrong: " + wrong);
        assertTrue(detected >= 50, "the set exercises auto-applied labels: " + detected);
    }

    @Test
    void columnsAboutAValueAreNotTheValue() {
        Map<String, List<Label>> labels = classifier.classify(List.of(
                new NameClassifier.Column("email_verified", "boolean", null),
                new NameClassifier.Column("credit_card_amount", "numeric", "Amount of the order (AUD) paid for by credit card"),
                new NameClassifier.Column("year", "int", null),
                new NameClassifier.Column("cvv", "string", null),
                new NameClassifier.Column("email", "string", null)));
        assertEquals(List.of(), labels.get("email_verified"));
        assertEquals(List.of(), labels.get("credit_card_amount"));
        assertEquals(List.of(), labels.get("year"));
        assertEquals(List.of(), labels.get("cvv"), "no CVV without a card number beside it");
        Label email = labels.get("email").get(0);
        assertEquals(Label.DETECTED, email.status());
        assertEquals("name 'email', type string: email pattern", email.explanation());
    }

    @Test
    void typesAcrossDialectsAreRead() {
        assertEquals(NameClassifier.Kind.TEXT, NameClassifier.kind("VARCHAR(256)"));
        assertEquals(NameClassifier.Kind.INTEGER, NameClassifier.kind("NUMBER(38,0)"));
        assertEquals(NameClassifier.Kind.DECIMAL, NameClassifier.kind("numeric(12,2)"));
        assertEquals(NameClassifier.Kind.DATE, NameClassifier.kind("timestamp with time zone"));
        assertEquals(NameClassifier.Kind.COMPLEX, NameClassifier.kind("struct<email:string>"));
        assertEquals(NameClassifier.Kind.UNKNOWN, NameClassifier.kind(null));
        assertEquals("email", NameClassifier.core("billing_email"));
    }

    private static String blank(String s) {
        return s.isEmpty() ? null : s;
    }

    private static List<Row> labelled() throws IOException {
        List<Row> rows = new ArrayList<>();
        try (var in = new BufferedReader(new InputStreamReader(
                Objects.requireNonNull(NameClassifierTest.class.getResourceAsStream("/classify/labelled-columns.csv")), StandardCharsets.UTF_8))) {
            in.readLine();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                List<String> cells = csv(line);
                rows.add(new Row(cells.get(0), cells.get(1), cells.get(2), cells.get(3), cells.get(4)));
            }
        }
        return rows;
    }

    /** One CSV line: commas, and double quotes around cells that hold them (doubled inside). */
    private static List<String> csv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
