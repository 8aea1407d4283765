package io.waymark.catalog.report;

import io.waymark.catalog.config.PrivateFiles;

import io.waymark.catalog.config.WaymarkConfig;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;

/**
 * The instance's Ed25519 report-signing key: generated on first use into
 * {@code DATA_DIR/keys/report-signing.key} (PKCS#8, owner read/write only) with the public half
 * beside it. Back the directory up with the journal: without the key, later reports cannot
 * extend the chain under the same identity.
 */
@Singleton
public class ReportKeys {
    private final KeyPair keys;

    public ReportKeys(WaymarkConfig config) {
        this.keys = loadOrCreate(config.dataPath().resolve("keys"));
    }

    public PrivateKey privateKey() {
        return keys.getPrivate();
    }

    public PublicKey publicKey() {
        return keys.getPublic();
    }

    public String publicKeyPem() {
        return SignedReport.pem(keys.getPublic());
    }

    /** A short, stable name for the key: the first 16 hex digits of the SHA-256 of its encoding. */
    public String keyId() {
        return SignedReport.sha256(keys.getPublic().getEncoded()).substring(0, 16);
    }

    /** An Ed25519 signature of {@code text} (UTF-8) in base64url without padding, the one spelling {@link #verifies} accepts. */
    public String sign(String text) {
        try {
            java.security.Signature signer = java.security.Signature.getInstance("Ed25519");
            signer.initSign(keys.getPrivate());
            signer.update(text.getBytes(StandardCharsets.UTF_8));
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the instance key", e);
        }
    }

    /** Whether {@code signature} is this key's signature of {@code text}, spelled canonically (another spelling of the same bytes fails). */
    public boolean verifies(String text, String signature) {
        try {
            byte[] bytes = java.util.Base64.getUrlDecoder().decode(signature);
            if (!java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(signature)) {
                return false;
            }
            java.security.Signature verifier = java.security.Signature.getInstance("Ed25519");
            verifier.initVerify(keys.getPublic());
            verifier.update(text.getBytes(StandardCharsets.UTF_8));
            return verifier.verify(bytes);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static KeyPair loadOrCreate(Path dir) {
        Path secret = dir.resolve("report-signing.key");
        Path pub = dir.resolve("report-signing.pub");
        try {
            KeyFactory factory = KeyFactory.getInstance("Ed25519");
            if (Files.exists(secret) && Files.exists(pub)) {
                return new KeyPair(factory.generatePublic(new X509EncodedKeySpec(Files.readAllBytes(pub))),
                        factory.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(secret))));
            }
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Files.createDirectories(dir);
            PrivateFiles.write(secret, pair.getPrivate().getEncoded());
            Files.write(pub, pair.getPublic().getEncoded());
            Files.writeString(dir.resolve("report-signing.pem"), SignedReport.pem(pair.getPublic()), StandardCharsets.US_ASCII);
            return pair;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the report-signing key in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the report-signing key in " + dir + " is unusable", e);
        }
    }
}
