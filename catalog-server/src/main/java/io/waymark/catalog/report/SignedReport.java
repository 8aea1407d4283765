package io.waymark.catalog.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.waymark.catalog.ingest.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * How a report file carries its own signature, the same way for every format: the file is the
 * report's bytes followed by one signature block, and the block is {@code base64url(manifest) "."
 * base64url(Ed25519 signature over that base64url text)}. The manifest names the SHA-256 of every
 * byte before the block, the previous report's manifest digest, and what the report covers. So a
 * report file and the instance's public key are all a verifier needs, and changing any byte of
 * either part fails verification.
 * <ul>
 * <li>PDF: after {@code %%EOF}, a comment line {@code %WAYMARK-SIGNATURE <block>} (PDF readers ignore it);</li>
 * <li>CSV: a last line {@code # waymark-signature <block>} (one cell in a spreadsheet);</li>
 * <li>JSON: the report object's last member, {@code "waymarkSignature":"<block>"}, so the file stays one JSON object.</li>
 * </ul>
 * No Micronaut here: the {@code verify} command uses it without a server.
 */
public final class SignedReport {
    public static final String GENESIS = "0".repeat(64);
    private static final String PDF_MARK = "\n%WAYMARK-SIGNATURE ";
    private static final String CSV_MARK = "# waymark-signature ";
    private static final String JSON_MARK = ",\"waymarkSignature\":\"";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** A verified (or refused) file: the manifest when the block could be read, and why it failed. */
    public record Verification(boolean valid, JsonNode manifest, String manifestSha256, String problem) {}

    private SignedReport() {}

    /** The report bytes as they will be covered by the signature: for JSON, the object without its closing brace. */
    public static byte[] content(String format, byte[] report) {
        if (format.equals("json")) {
            int end = report.length - 1;
            while (end >= 0 && Character.isWhitespace(report[end])) {
                end--;
            }
            if (end < 0 || report[end] != '}') {
                throw new IllegalArgumentException("a JSON report must be one object");
            }
            return Arrays.copyOf(report, end);
        }
        return report;
    }

    /** The whole file: content plus the block for the manifest signed with {@code key}. */
    public static byte[] seal(String format, byte[] content, byte[] manifest, PrivateKey key) {
        String signingInput = B64.encodeToString(manifest);
        String block = signingInput + "." + B64.encodeToString(sign(signingInput, key));
        String framed = switch (format) {
            case "pdf" -> PDF_MARK + block + "\n";
            case "csv" -> (content.length > 0 && content[content.length - 1] != '\n' ? "\n" : "") + CSV_MARK + block + "\n";
            case "json" -> JSON_MARK + block + "\"}\n";
            default -> throw new IllegalArgumentException("format must be pdf, csv or json");
        };
        byte[] tail = framed.getBytes(StandardCharsets.US_ASCII);
        byte[] file = Arrays.copyOf(content, content.length + tail.length);
        System.arraycopy(tail, 0, file, content.length, tail.length);
        return file;
    }

    /** Checks the block's signature with {@code publicKey} and the content digest it names. */
    public static Verification verify(byte[] file, PublicKey publicKey) {
        String text = new String(file, StandardCharsets.ISO_8859_1); // one char per byte: offsets are byte offsets
        int at;
        String terminator;
        if ((at = text.lastIndexOf(JSON_MARK)) >= 0 && text.endsWith("\"}\n")) {
            terminator = "\"}\n";
        } else if ((at = text.lastIndexOf(PDF_MARK)) >= 0) {
            terminator = "\n";
        } else if ((at = text.lastIndexOf("\n" + CSV_MARK)) >= 0 || text.startsWith(CSV_MARK)) {
            at = at < 0 ? 0 : at + 1;
            terminator = "\n";
        } else {
            return new Verification(false, null, null, "no Waymark signature block in the file");
        }
        String mark = text.startsWith(JSON_MARK, at) ? JSON_MARK : text.startsWith(PDF_MARK, at) ? PDF_MARK : CSV_MARK;
        int start = at + mark.length();
        if (!text.endsWith(terminator) || text.length() - terminator.length() < start) {
            return new Verification(false, null, null, "the signature block is not the end of the file");
        }
        String block = text.substring(start, text.length() - terminator.length());
        int dot = block.indexOf('.');
        if (dot < 0 || block.indexOf('.', dot + 1) >= 0 || !block.matches("[A-Za-z0-9_.-]+")) {
            return new Verification(false, null, null, "the signature block is malformed");
        }
        byte[] manifestBytes;
        JsonNode manifest;
        try {
            manifestBytes = canonical(block.substring(0, dot), "manifest");
            manifest = Json.STRICT.readTree(manifestBytes);
        } catch (IllegalArgumentException | IOException e) {
            return new Verification(false, null, null, "the manifest cannot be read: " + e.getMessage());
        }
        String manifestSha = sha256(manifestBytes);
        boolean signed;
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publicKey);
            verifier.update(block.substring(0, dot).getBytes(StandardCharsets.US_ASCII));
            signed = verifier.verify(canonical(block.substring(dot + 1), "signature"));
        } catch (IllegalArgumentException e) {
            return new Verification(false, manifest, manifestSha, e.getMessage());
        } catch (GeneralSecurityException e) {
            signed = false;
        }
        if (!signed) {
            return new Verification(false, manifest, manifestSha, "the signature does not match the manifest and this key");
        }
        // The content is every byte before the block (for CSV, before its line; for PDF, before the newline that starts it).
        byte[] content = Arrays.copyOf(file, at);
        String actual = sha256(content);
        if (!actual.equals(manifest.path("contentSha256").asText())) {
            return new Verification(false, manifest, manifestSha, "the report's content changed: SHA-256 " + actual + ", signed "
                    + manifest.path("contentSha256").asText());
        }
        return new Verification(true, manifest, manifestSha, null);
    }

    /**
     * Decodes base64url only in the one spelling the encoder writes: a last character with other
     * unused bits decodes to the same bytes, and accepting it would let a changed file verify.
     */
    private static byte[] canonical(String text, String what) {
        byte[] bytes = Base64.getUrlDecoder().decode(text);
        if (!B64.encodeToString(bytes).equals(text)) {
            throw new IllegalArgumentException("the " + what + " is not in canonical base64url");
        }
        return bytes;
    }

    static byte[] sign(String signingInput, PrivateKey key) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the report", e);
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a PEM "PUBLIC KEY" (X.509 SubjectPublicKeyInfo) holding an Ed25519 key. */
    public static PublicKey publicKey(String pem) throws GeneralSecurityException {
        String body = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    public static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }
}
