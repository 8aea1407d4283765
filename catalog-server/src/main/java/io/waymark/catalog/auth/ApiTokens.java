package io.waymark.catalog.auth;

import io.waymark.catalog.config.PrivateFiles;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.waymark.catalog.audit.AuditLog;
import io.waymark.catalog.config.WaymarkConfig;
import io.waymark.catalog.ingest.InvalidEventException;
import io.waymark.catalog.journal.Journal;
import io.waymark.catalog.model.Times;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API tokens: 256 random bits, handed out once, stored only as a SHA-256. Active tokens are kept
 * in memory by hash after their first use (revocation here drops them at once), so checking a
 * token on a busy ingest path costs a map lookup, not a database read.
 * <p>
 * On the first start with an empty token table an admin token is generated, written to
 * {@code DATA_DIR/admin.token} (owner read/write only) and printed once; {@code WAYMARK_ADMIN_TOKEN}
 * sets the admin token instead, for automation, replacing the one it set before.
 */
@Context
public class ApiTokens {
    public static final String ENV_ADMIN = "admin (WAYMARK_ADMIN_TOKEN)";
    /** A token anyone can guess is no lock: the admin token an operator sets must be this long at least. */
    static final int MIN_ADMIN_TOKEN = 16;
    private static final Logger LOG = LoggerFactory.getLogger(ApiTokens.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_NAME = 200;

    private final Journal journal;
    private final AuditLog audit;
    private final Map<String, ApiToken> active = new ConcurrentHashMap<>();

    public ApiTokens(Journal journal, AuditLog audit, WaymarkConfig config, @Value("${waymark.admin-token:}") String adminToken,
                     @Value("${waymark.auth.enabled:true}") boolean enabled) {
        this.journal = journal;
        this.audit = audit;
        if (enabled) {
            bootstrap(config.dataPath(), adminToken);
        }
    }

    /** A new token; the only time its value is seen. */
    public Map<String, Object> create(String name, String role, String actor, String actorRole, String remote) throws InvalidEventException {
        if (name == null || name.isBlank() || name.length() > MAX_NAME) {
            throw InvalidEventException.invalid("name", "a token needs a name of 1 to " + MAX_NAME + " characters");
        }
        // The name is the actor of every audit entry the token makes: it must print as what it is.
        if (name.chars().anyMatch(c -> Character.isISOControl(c) || Character.isSurrogate((char) c) || c == '\u2028' || c == '\u2029')) {
            throw InvalidEventException.invalid("name", "a token name may not hold control characters, line separators or unpaired surrogates");
        }
        if (!Roles.ALL.contains(role)) {
            throw InvalidEventException.invalid("role", "role must be one of " + Roles.ALL);
        }
        String token = newToken();
        ApiToken row = new ApiToken(UUID.randomUUID().toString(), name.strip(), role, hash(token), Times.format(Instant.now()), actor, null);
        journal.jdbi().useExtension(ApiTokenDao.class, dao -> dao.insert(row));
        audit.record(new AuditLog.Entry(actor, actorRole, "token.create", row.id(), Map.of("name", row.name(), "role", role), remote));
        return Map.of("id", row.id(), "name", row.name(), "role", role, "token", token, "createdAt", row.createdAt());
    }

    public List<ApiToken> list() {
        return journal.jdbi().withExtension(ApiTokenDao.class, ApiTokenDao::all);
    }

    /** Revokes a token; false when there is no such active token. */
    public boolean revoke(String id, String actor, String actorRole, String remote) {
        Optional<ApiToken> token = journal.jdbi().withExtension(ApiTokenDao.class, dao -> dao.byId(id));
        boolean revoked = journal.jdbi().withExtension(ApiTokenDao.class, dao -> dao.revoke(id, Times.format(Instant.now()))) > 0;
        if (revoked) {
            active.values().removeIf(t -> t.id().equals(id));
            audit.record(new AuditLog.Entry(actor, actorRole, "token.revoke", id,
                    Map.of("name", token.map(ApiToken::name).orElse(""), "role", token.map(ApiToken::role).orElse("")), remote));
        }
        return revoked;
    }

    /**
     * A token that exists only in this process's memory until {@link #forget}: never stored, so
     * never listed, and no other replica knows it (the HTTP warm-up's).
     */
    public String ephemeral(String name, String role) {
        String token = newToken();
        String hash = hash(token);
        active.put(hash, new ApiToken("ephemeral-" + UUID.randomUUID(), name, role, hash, Times.format(Instant.now()), "startup", null));
        return token;
    }

    public void forget(String token) {
        active.remove(hash(token));
    }

    /** The active token with this value if it is in memory (no database read: fit for an event loop). */
    public Optional<ApiToken> known(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(active.get(hash(token.strip())));
    }

    /**
     * The active token with this value, if any, reading the journal when it is not in memory: a
     * blocking call, never made on an event loop ({@link BearerTokenValidator} hands it to the
     * blocking executor), since anyone can send tokens that are in no memory.
     */
    public Optional<ApiToken> authenticate(String token) {
        Optional<ApiToken> known = known(token);
        if (known.isPresent() || token == null || token.isBlank()) {
            return known;
        }
        assert !reactor.core.scheduler.Schedulers.isInNonBlockingThread() : "a token looked up in the journal on an event loop";
        String hash = hash(token.strip());
        Optional<ApiToken> stored = journal.jdbi().withExtension(ApiTokenDao.class, dao -> dao.active(hash));
        stored.ifPresent(t -> active.put(hash, t));
        return stored;
    }

    private void bootstrap(Path dataDir, String adminToken) {
        String now = Times.format(Instant.now());
        if (adminToken != null && !adminToken.isBlank()) {
            if (adminToken.strip().length() < MIN_ADMIN_TOKEN) {
                throw new IllegalStateException("WAYMARK_ADMIN_TOKEN is " + adminToken.strip().length() + " characters long; an admin token needs at least "
                        + MIN_ADMIN_TOKEN + " (openssl rand -hex 32 makes one)");
            }
            String hash = hash(adminToken.strip());
            // Under the journal's write lock: replicas starting together with the same token insert it once.
            journal.writeTransaction(h -> {
                ApiTokenDao dao = h.attach(ApiTokenDao.class);
                dao.revokeNamedExcept(ENV_ADMIN, hash, now);
                if (dao.active(hash).isEmpty()) {
                    dao.insert(new ApiToken(UUID.randomUUID().toString(), ENV_ADMIN, Roles.ADMIN, hash, now, "startup", null));
                    LOG.info("admin token set from WAYMARK_ADMIN_TOKEN");
                }
                return null;
            });
            return;
        }
        if (journal.jdbi().withExtension(ApiTokenDao.class, ApiTokenDao::count) > 0) {
            return;
        }
        String token = newToken();
        Path file = dataDir.resolve("admin.token");
        try {
            PrivateFiles.write(file, (token + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; set WAYMARK_ADMIN_TOKEN instead", e);
        }
        journal.jdbi().useExtension(ApiTokenDao.class, dao ->
                dao.insert(new ApiToken(UUID.randomUUID().toString(), "admin", Roles.ADMIN, hash(token), now, "startup", null)));
        audit.record(new AuditLog.Entry("startup", null, "token.create", null, Map.of("name", "admin", "role", Roles.ADMIN), null));
        // Printed once, to the console only: never through the logger, whose files outlive the console.
        System.out.println("""

                ==================================================================
                 Waymark generated an admin API token (shown this once, also in
                 %s, readable by this user only):

                   %s

                 Create tokens for people and pipelines with POST /api/v1/tokens
                 or: java -jar waymark.jar token create --role ROLE --name NAME
                ==================================================================
                """.formatted(file, token));
    }

    static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "wm_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
