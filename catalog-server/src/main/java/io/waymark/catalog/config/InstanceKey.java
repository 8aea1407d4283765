package io.waymark.catalog.config;

import jakarta.inject.Singleton;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The instance's secret key for credentials at rest: AES-256, generated on first use into
 * {@code DATA_DIR/keys/instance.key} (owner read/write only). A stored password is AES-GCM with a
 * random nonce, so the journal database alone never gives a connection's password away. Back the
 * key up with the journal: without it, stored passwords must be entered again.
 */
@Singleton
public class InstanceKey {
    private static final String PREFIX = "v1:";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKey key;

    public InstanceKey(WaymarkConfig config) {
        this.key = loadOrCreate(config.dataPath().resolve("keys").resolve("instance.key"));
    }

    public String encrypt(String secret) {
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt with the instance key", e);
        }
    }

    public String decrypt(String stored) {
        if (!stored.startsWith(PREFIX)) {
            throw new IllegalStateException("a stored secret in an unknown format");
        }
        try {
            byte[] all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
            return new String(cipher.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored secret does not open with this instance's key (was keys/instance.key replaced?)", e);
        }
    }

    private static SecretKey loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return new SecretKeySpec(Base64.getDecoder().decode(Files.readString(file).strip()), "AES");
            }
            Files.createDirectories(file.getParent());
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256, RANDOM);
            SecretKey created = generator.generateKey();
            PrivateFiles.write(file, Base64.getEncoder().encode(created.getEncoded()));
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
