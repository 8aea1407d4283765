package io.waymark.catalog.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.waymark.catalog.ingest.Json;
import io.waymark.catalog.report.SignedReport;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;

/**
 * {@code waymark report REGULATION --server URL [--token T] [--format pdf|csv|json] [--as-of T] [--out FILE]}
 * fetches a signed report from a running Waymark; {@code waymark verify FILE [--key PEM | --server URL [--token T]]}
 * checks a report file's signature and content, and (with a server and an auditor's token) that it is
 * the report the server registered under its number and follows the one before.
 * Exit codes: 0 valid, 1 not valid, 2 the server could not be asked, 64 bad usage.
 */
public final class ReportCommand {
    private ReportCommand() {}

    public static int report(List<String> args, PrintStream out) throws IOException, InterruptedException {
        ServerClient o = ServerClient.parse(args, List.of());
        String regulation = o.get("");
        if (regulation == null || !o.has("server")) {
            System.err.println("usage: java -jar waymark.jar report GDPR|HIPAA|SOX|PCI-DSS|ALL --server URL [--token T] [--format pdf|csv|json] [--as-of 2026-06-30T23:59:59Z] [--out FILE]");
            return 64;
        }
        String format = o.get("format", "pdf");
        String query = "?format=" + ServerClient.enc(format) + (o.has("as-of") ? "&asOf=" + ServerClient.enc(o.get("as-of")) : "");
        HttpResponse<byte[]> r = o.http.send(o.request("/api/v1/reports/" + ServerClient.enc(regulation) + query).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            System.err.println("report refused: HTTP " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
            return 2;
        }
        Path file = Path.of(o.get("out", "waymark-" + regulation.toLowerCase() + "-report-"
                + r.headers().firstValue("X-Waymark-Report-Seq").orElse("0") + "." + format));
        Files.write(file, r.body());
        out.println(file.toAbsolutePath());
        return 0;
    }

    public static int verify(List<String> args, PrintStream out) throws IOException, InterruptedException {
        ServerClient o = ServerClient.parse(args, List.of());
        String name = o.get("");
        if (name == null || o.has("key") == o.has("server")) {
            System.err.println("usage: java -jar waymark.jar verify FILE (--key PUBLIC_KEY.pem | --server URL [--token T])");
            return 64;
        }
        byte[] file = Files.readAllBytes(Path.of(name));
        PublicKey key;
        try {
            if (o.has("key")) {
                key = SignedReport.publicKey(Files.readString(Path.of(o.get("key"))));
            } else {
                HttpResponse<String> pem = o.http.send(HttpRequest.newBuilder(URI.create(o.base() + "/api/v1/reports/public-key"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                if (pem.statusCode() != 200) {
                    System.err.println("cannot fetch the public key: HTTP " + pem.statusCode());
                    return 2;
                }
                key = SignedReport.publicKey(pem.body());
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            System.err.println("not an Ed25519 public key: " + e.getMessage());
            return 64;
        }
        SignedReport.Verification v = SignedReport.verify(file, key);
        if (!v.valid()) {
            out.println("INVALID: " + v.problem());
            return 1;
        }
        JsonNode m = v.manifest();
        out.println("signature: valid (key " + m.path("keyId").asText() + "); content: unchanged (SHA-256 " + m.path("contentSha256").asText() + ")");
        out.println("report " + m.path("seq").asLong() + ": " + m.path("regulation").asText() + " as of " + m.path("asOf").asText()
                + ", generated " + m.path("generatedAt").asText() + " by " + m.path("generatedBy").asText());
        if (!o.has("server")) {
            out.println("chain: previous report's manifest SHA-256 " + m.path("previousManifestSha256").asText()
                    + " (give --server and an auditor's --token to check it against the register)");
            return 0;
        }
        if (o.token() == null) {
            out.println("chain: not checked (the register needs an auditor's --token or WAYMARK_TOKEN)");
            return 0;
        }
        long seq = m.path("seq").asLong();
        JsonNode registered = registered(o, seq);
        if (registered == null) {
            return 2;
        }
        if (!v.manifestSha256().equals(registered.path("manifestSha256").asText())) {
            out.println("INVALID: the server registered a different report as number " + seq);
            return 1;
        }
        String expectedPrevious = SignedReport.GENESIS;
        if (seq > 1) {
            JsonNode previous = registered(o, seq - 1);
            if (previous == null) {
                return 2;
            }
            expectedPrevious = previous.path("manifestSha256").asText();
        }
        if (!expectedPrevious.equals(m.path("previousManifestSha256").asText())) {
            out.println("INVALID: the chain is broken: report " + seq + " names " + m.path("previousManifestSha256").asText()
                    + " as its predecessor, the register holds " + expectedPrevious);
            return 1;
        }
        out.println("chain: report " + seq + " is the one registered and follows report " + (seq - 1));
        return 0;
    }

    private static JsonNode registered(ServerClient o, long seq) throws IOException, InterruptedException {
        HttpResponse<String> r = o.http.send(o.request("/api/v1/reports?seq=" + seq).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode list = r.statusCode() == 200 ? Json.STRICT.readTree(r.body()).path("reports") : null;
        if (list == null || list.isEmpty()) {
            System.err.println("cannot read report " + seq + " from the register: HTTP " + r.statusCode() + " " + r.body());
            return null;
        }
        return list.get(0);
    }

}
