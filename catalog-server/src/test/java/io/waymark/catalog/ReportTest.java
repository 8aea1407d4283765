package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waymark.catalog.cli.ReportCommand;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Signed audit reports in three formats: their contents, the PDF read back, verification, the chain and who may export. */
class ReportTest {
    private final TestServer server = TestServer.get();

    /** Personal data copied from a German table to a US one: a GDPR third-country transfer finding with a lineage path. */
    private String transferScenario() {
        String ns = Events.ns();
        ObjectNode load = Events.complete(ns, "load_customers", new String[] {}, new String[] {}, "2025-01-01T00:00:00Z");
        ObjectNode customers = Events.dataset(ns, "customers");
        customers.putObject("facets").putObject("schema").putArray("fields").addObject().put("name", "email").put("type", "STRING");
        ((ArrayNode) load.get("outputs")).add(customers);
        assertEquals(201, server.postJson("/api/v1/lineage", load.toString()).statusCode());
        ObjectNode export = Events.complete(ns, "export", new String[] {"customers"}, new String[] {}, "2025-01-02T00:00:00Z");
        ObjectNode copy = Events.dataset(ns, "us-copy");
        copy.putObject("facets").putObject("columnLineage").putObject("fields").putObject("email").putArray("inputFields")
                .addObject().put("namespace", ns).put("name", "customers").put("field", "email")
                .putArray("transformations").addObject().put("type", "DIRECT").put("subtype", "IDENTITY");
        ((ArrayNode) export.get("outputs")).add(copy);
        assertEquals(201, server.postJson("/api/v1/lineage", export.toString()).statusCode());
        server.awaitProjection();
        put("/api/v1/namespaces/" + ns + "/datasets/customers/fields/email/classifications/PII.contact.email", "");
        put("/api/v1/namespaces/" + ns + "/datasets/us-copy/annotations", "{\"country\":\"US\"}");
        put("/api/v1/namespaces/" + ns + "/datasets/customers/annotations", "{\"country\":\"DE\"}");
        assertEquals(200, server.post("/api/v1/compliance/evaluations", new byte[0]).statusCode());
        return ns;
    }

    private void put(String path, String body) {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.url(path))).header("Content-Type", "application/merge-patch+json")
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
        assertEquals(200, r.statusCode(), r.body());
    }

    private HttpResponse<byte[]> export(String regulation, String format, String token) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url("/api/v1/reports/" + regulation + "?format=" + format)))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void theThreeFormatsCarryTheFindingsWithTheirLineagePath() throws Exception {
        String ns = transferScenario();
        String auditor = server.token("report-auditor", "auditor");
        String copy = "dataset:" + ns + ":us-copy";

        HttpResponse<byte[]> json = export("GDPR", "json", auditor);
        assertEquals(200, json.statusCode(), new String(json.body(), StandardCharsets.UTF_8));
        JsonNode report = TestServer.parse(new String(json.body(), StandardCharsets.UTF_8));
        assertTrue(report.path("waymarkSignature").asText().contains("."), "the JSON stays one object, signature last");
        JsonNode cover = report.path("cover");
        assertEquals("GDPR", cover.path("regulation").asText());
        assertEquals("report-auditor (auditor)", cover.path("generatedBy").asText());
        assertEquals(64, cover.path("rulePackDigest").asText().length());
        assertTrue(cover.path("graphWatermark").asLong() > 0);
        JsonNode transfer = null;
        for (JsonNode f : report.path("findings")) {
            if (f.path("ruleId").asText().equals("GDPR-A44-THIRD-COUNTRY-TRANSFER") && f.path("subject").asText().equals(copy)) {
                transfer = f;
            }
        }
        assertTrue(transfer != null, "the transfer finding is in the report");
        // The transfer rule reports no path of its own: the report shows the one the personal-data label travelled.
        assertEquals("label", transfer.path("lineagePathSource").asText());
        assertEquals(List.of("datasetField:" + ns + ":customers:email", "datasetField:" + ns + ":us-copy:email"),
                List.of(transfer.path("lineagePath").get(0).asText(), transfer.path("lineagePath").get(1).asText()));
        assertFalse(transfer.path("remediation").asText().isBlank());
        assertTrue(report.path("rules").toString().contains("GDPR-A44-THIRD-COUNTRY-TRANSFER"));
        assertFalse(report.path("rules").toString().contains("HIPAA-"), "only the regulation's rules");
        assertTrue(report.path("classificationInventory").toString().contains("PII.contact.email"));
        assertTrue(report.has("unknowns") && report.has("exceptions") && report.path("summary").path("fail").asLong() >= 1);

        HttpResponse<byte[]> csv = export("GDPR", "csv", auditor);
        String text = new String(csv.body(), StandardCharsets.UTF_8);
        assertTrue(text.startsWith("section,id,rule,regulation,severity,outcome,subject,title,lineage_path,remediation"), text.substring(0, 120));
        assertTrue(text.contains("finding,") && text.contains("GDPR-A44-THIRD-COUNTRY-TRANSFER") && text.contains("datasetField:" + ns + ":customers:email > datasetField:" + ns + ":us-copy:email"));
        assertTrue(text.lines().reduce((a, b) -> b).orElse("").startsWith("# waymark-signature "), "the signature is the last line");

        HttpResponse<byte[]> pdf = export("GDPR", "pdf", auditor);
        assertEquals("application/pdf", pdf.headers().firstValue("Content-Type").orElse(""));
        try (PDDocument doc = Loader.loadPDF(pdf.body())) {
            String content = new PDFTextStripper().getText(doc).replaceAll("\\s+", " ");
            for (String section : List.of("Summary", "Findings", "UNKNOWN: facts missing", "Exceptions", "Classification inventory",
                    "Rules in force", "Rule pack digest", "Audit log head", "Page 1 of " + doc.getNumberOfPages())) {
                assertTrue(content.contains(section), section + " in the PDF");
            }
            assertTrue(content.contains("GDPR-A44-THIRD-COUNTRY-TRANSFER"));
            assertTrue(content.replace(" ", "").contains("datasetField:" + ns + ":customers:email>datasetField:" + ns + ":us-copy:email"),
                    "the finding's lineage path");
        }
    }

    @Test
    void verifyAcceptsAFreshReportAndRefusesAnyChangedByte() throws Exception {
        transferScenario();
        String auditor = server.token("report-auditor", "auditor");
        Path dir = Files.createTempDirectory("reports");
        HttpResponse<String> pem = server.sendAsIs(HttpRequest.newBuilder(URI.create(server.url("/api/v1/reports/public-key"))).build());
        assertEquals(200, pem.statusCode(), "the public key needs no token");
        Path key = Files.writeString(dir.resolve("waymark.pem"), pem.body());
        for (String format : List.of("pdf", "csv", "json")) {
            byte[] file = export("ALL", format, auditor).body();
            Path good = Files.write(dir.resolve("report." + format), file);
            assertEquals(0, verify(List.of(good.toString(), "--key", key.toString())), format);
            assertEquals(0, verify(List.of(good.toString(), "--server", server.url(""), "--token", auditor)), format + " against the register");
            for (int at : new int[] {file.length / 3, file.length - 20}) {
                byte[] changed = file.clone();
                changed[at] ^= 0x01;
                Path bad = Files.write(dir.resolve("changed-" + at + "." + format), changed);
                assertEquals(1, verify(List.of(bad.toString(), "--key", key.toString())), format + ": byte " + at + " of " + file.length + " changed");
            }
        }
        // The signature's last base64url character carries 4 unused bits: flipping one decodes to
        // the same bytes, but the file changed, so it must fail too.
        byte[] file = export("ALL", "json", auditor).body();
        int last = file.length - 4;
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        byte[] flipped = file.clone();
        flipped[last] = (byte) alphabet.charAt(alphabet.indexOf(file[last]) ^ 1);
        Path good = Files.write(dir.resolve("same.json"), file);
        Path bad = Files.write(dir.resolve("flipped.json"), flipped);
        assertEquals(0, verify(List.of(good.toString(), "--key", key.toString())));
        assertEquals(1, verify(List.of(bad.toString(), "--key", key.toString())), "a non-canonical signature encoding");
        assertEquals(1, verify(List.of(good.toString(), good.toString(), "--key", key.toString())), "the same file twice is not a chain");
        assertEquals(1, verify(List.of(dir.resolve("missing.json").toString(), "--key", key.toString())), "a missing file");
    }

    @Test
    void eachReportNamesThePreviousOneAndExportsAreAuditedForAuditorsOnly() throws Exception {
        String auditor = server.token("report-auditor", "auditor");
        HttpResponse<byte[]> first = export("SOX", "json", auditor);
        HttpResponse<byte[]> second = export("SOX", "json", auditor);
        long seq = Long.parseLong(second.headers().firstValue("X-Waymark-Report-Seq").orElseThrow());
        assertEquals(seq - 1, Long.parseLong(first.headers().firstValue("X-Waymark-Report-Seq").orElseThrow()));
        JsonNode register = server.getJson("/api/v1/reports?seq=" + (seq - 1)).path("reports").get(0);
        JsonNode manifest = TestServer.parse(server.getJson("/api/v1/reports?seq=" + seq).path("reports").get(0).path("manifest").asText());
        assertEquals(register.path("manifestSha256").asText(), manifest.path("previousManifestSha256").asText());
        // Offline, files given in order are a chain of their own.
        Path dir = Files.createTempDirectory("chain");
        Path key = Files.writeString(dir.resolve("k.pem"), server.sendAsIs(HttpRequest.newBuilder(URI.create(server.url("/api/v1/reports/public-key")))
                .build()).body());
        Path one = Files.write(dir.resolve("1.json"), first.body());
        Path two = Files.write(dir.resolve("2.json"), second.body());
        assertEquals(0, verify(List.of(one.toString(), two.toString(), "--key", key.toString())));
        assertEquals(1, verify(List.of(two.toString(), one.toString(), "--key", key.toString())), "out of order");

        JsonNode audited = server.getJson("/api/v1/audit-log?action=report.export&actor=report-auditor&limit=1").path("entries").get(0);
        assertEquals("SOX", audited.path("target").asText());
        assertEquals(seq, audited.path("detail").path("seq").asLong());

        assertEquals(403, export("SOX", "json", server.token("report-viewer", "viewer")).statusCode(), "a viewer may not export");
        assertEquals(400, export("CCPA", "json", auditor).statusCode());
        assertEquals(400, export("SOX", "docx", auditor).statusCode());
        HttpResponse<byte[]> past = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url(
                "/api/v1/reports/GDPR?format=json&asOf=" + Instant.parse("2020-01-01T00:00:00Z")))).header("Authorization", "Bearer " + auditor).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        JsonNode before = TestServer.parse(new String(past.body(), StandardCharsets.UTF_8));
        assertEquals(0, before.path("findings").size(), "nothing was open in 2020");
        assertEquals("2020-01-01T00:00:00Z", before.path("cover").path("asOf").asText().replaceAll("\\.0+Z$", "Z"));
    }

    private static int verify(List<String> args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return ReportCommand.verify(args, new PrintStream(out, true, StandardCharsets.UTF_8));
    }
}
