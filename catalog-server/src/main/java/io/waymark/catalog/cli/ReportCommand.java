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
 * fetches a signed report from a running Waymark; {@code waymark verify FILE [NEXT_FILE…] (--key PEM | --server URL [--token T])}
 * checks each report file's signature and content, that each file follows the one given before it,
 * and (with a server and an auditor's token) that each is the report the server registered under its
 * number and follows the one registered before.
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
        if (o.positional().isEmpty() || o.has("key") == o.has("server")) {
            System.err.println("usage: java -jar waymark.jar verify FILE [NEXT_FILE…] (--key PUBLIC_KEY.pem | --server URL [--token T])");
            return 64;
        }
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
        SignedReport.Verification previous = null;
        for (int i = 0; i < o.positional().size(); i++) {
            String name = o.positional().get(i);
            byte[] file;
            try {
                file = Files.readAllBytes(Path.of(name));
            } catch (IOException | java.nio.file.InvalidPathException e) {
                out.println(name + ":");
                out.println("  INVALID: cannot read the file (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
                return 1;
            }
            SignedReport.Verification v = SignedReport.verify(file, key);
            out.println(name + ":");
            if (!v.valid()) {
                out.println("  INVALID: " + v.problem());
                return 1;
            }
            JsonNode m = v.manifest();
            out.println("  signature: valid (key " + m.path("keyId").asText() + "); content: unchanged (SHA-256 " + m.path("contentSha256").asText() + ")");
            out.println("  report " + m.path("seq").asLong() + ": " + m.path("regulation").asText() + " as of " + m.path("asOf").asText()
                    + ", generated " + m.path("generatedAt").asText() + " by " + m.path("generatedBy").asText());
            // Files given in order form a chain on their own: each names the one before.
            if (previous != null && !previous.manifestSha256().equals(m.path("previousManifestSha256").asText())) {
                out.println("  INVALID: the chain is broken: this report does not follow " + o.positional().get(i - 1));
                return 1;
            }
            if (previous != null) {
                out.println("  chain: follows the file before it");
            }
            int registered = o.has("server") ? checkRegister(o, v, out) : 0;
            if (registered != 0) {
                return registered;
            }
            previous = v;
        }
        return 0;
    }

    /** Whether the server registered this report under its number, after the one it names. */
    private static int checkRegister(ServerClient o, SignedReport.Verification v, PrintStream out) throws IOException, InterruptedException {
        if (o.token() == null) {
            out.println("  chain: the register was not asked (it needs an auditor's --token or WAYMARK_TOKEN)");
            return 0;
        }
        JsonNode m = v.manifest();
        long seq = m.path("seq").asLong();
        JsonNode registered = registered(o, seq);
        if (registered == null) {
            return 2;
        }
        if (!v.manifestSha256().equals(registered.path("manifestSha256").asText())) {
            out.println("  INVALID: the server registered a different report as number " + seq);
            return 1;
        }
        String expectedPrevious = SignedReport.GENESIS;
        if (seq > 1) {
            JsonNode before = registered(o, seq - 1);
            if (before == null) {
                return 2;
            }
            expectedPrevious = before.path("manifestSha256").asText();
        }
        if (!expectedPrevious.equals(m.path("previousManifestSha256").asText())) {
            out.println("  INVALID: the chain is broken: report " + seq + " names " + m.path("previousManifestSha256").asText()
                    + " as its predecessor, the register holds " + expectedPrevious);
            return 1;
        }
        out.println("  chain: report " + seq + " is the one registered and follows report " + (seq - 1));
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
