package io.waymark.catalog.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.waymark.catalog.ingest.Json;
import io.waymark.catalog.journal.Journal;
import io.waymark.catalog.model.Times;
import io.waymark.catalog.report.ReportKeys;
import jakarta.inject.Singleton;
import org.jdbi.v3.core.Handle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The append-only audit log in the journal database. Each entry carries a SHA-256 over its own
 * content and the previous entry's hash, so changing, removing or inserting a row breaks the
 * chain from there on ({@link #verify()}); triggers refuse UPDATE and DELETE outright. Entries are
 * committed by the journal's writer, in its group commits (with the events of lineage posts, alone
 * otherwise), so one thread appends to the chain; {@link #record} returns once its entry is durable,
 * so a write is never acknowledged without its audit entry.
 */
@Singleton
public class AuditLog {
    public static final String GENESIS = "0".repeat(64);

    /** What happened: who (token name) with which role did what to what, from where. Never a secret. */
    public record Entry(String actor, String role, String action, String target, Map<String, Object> detail, String remote) {
        /** Longer targets (a request path is the caller's to choose) are cut, saying how long they were. */
        public static final int MAX_TARGET = 512;

        public Entry {
            if (target != null && target.length() > MAX_TARGET) {
                target = target.substring(0, MAX_TARGET) + "… (" + target.length() + " characters)";
            }
        }
    }

    /**
     * Whether the chain holds over {@code entries} rows; {@code brokenAt}: the first row that does not;
     * {@code from}: the signed checkpoint the remaining entries start from, when retention removed older ones.
     */
    public record Verification(long entries, boolean valid, Long brokenAt, String head, Checkpoint from, String problem) {}

    /** The chain's state at the last entry retention removed: its seq and hash, signed with the instance key. */
    public record Checkpoint(long seq, String hash, String entryAt, String createdAt, long deleted, String keyId, String signature) {
        /** What the signature covers: every field but the signature, as a JSON array. */
        String signingInput() {
            try {
                return Json.CANONICAL.writeValueAsString(List.of("waymark-audit-checkpoint", seq, hash, entryAt, createdAt, deleted, keyId));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final Journal journal;
    private final ReportKeys keys;

    /** Without the instance key: appends and verifies, but cannot sign or check checkpoints (tools and tests). */
    public AuditLog(Journal journal) {
        this(journal, null);
    }

    @jakarta.inject.Inject
    public AuditLog(Journal journal, ReportKeys keys) {
        this.journal = journal;
        this.keys = keys;
    }

    /** Appends an entry and waits until it is committed; fails (and the caller must fail) when it cannot be. */
    public void record(Entry entry) {
        try {
            submit(entry).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the audit log", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("audit log entry not written", e);
        }
    }

    /** Appends an entry without waiting (failed authentication, where the caller is refused anyway). */
    public CompletableFuture<Void> submit(Entry entry) {
        // The journal's writer commits it, with whatever events are waiting: one writer appends to the chain.
        return journal.append(List.of(), entry).thenApply(inserted -> null);
    }

    public List<AuditRow> find(String since, String actor, String action, Long before, int limit) {
        return journal.jdbi().withExtension(AuditDao.class, dao -> dao.find(since, actor, action, before, limit));
    }

    /** The hash of the newest entry: a report names it, anchoring the log's state at that moment. */
    public String head() {
        return journal.jdbi().withExtension(AuditDao.class, dao -> dao.last().map(AuditRow::hash)
                .orElseGet(() -> checkpoints().stream().reduce((a, b) -> b).map(Checkpoint::hash).orElse(GENESIS)));
    }

    /**
     * Recomputes every hash from the first entry on; when retention removed the oldest entries, from
     * the signed checkpoint that names the hash the first remaining entry must follow.
     */
    public Verification verify() {
        return journal.jdbi().withHandle(h -> {
            AuditDao dao = h.attach(AuditDao.class);
            String prev = GENESIS;
            long after = 0;
            Checkpoint from = null;
            long first = dao.firstSeq();
            List<Checkpoint> checkpoints = checkpoints(h);
            long start = first > 0 ? first - 1 : checkpoints.stream().mapToLong(Checkpoint::seq).max().orElse(0);
            if (start > 0) {
                from = checkpoints.stream().filter(c -> c.seq() == start).findFirst().orElse(null);
                if (from == null) {
                    return new Verification(0, false, start, GENESIS, null, "entries up to " + start + " are missing and no checkpoint covers them");
                }
                if (keys == null || !keys.verifies(from.signingInput(), from.signature())) {
                    return new Verification(0, false, start, from.hash(), from, "the checkpoint at entry " + start + " is not signed by this instance's key");
                }
                prev = from.hash();
                after = from.seq();
            }
            long count = 0;
            while (true) {
                List<AuditRow> page = dao.page(after, 5000);
                if (page.isEmpty()) {
                    return new Verification(count, true, null, prev, from, null);
                }
                for (AuditRow row : page) {
                    if (row.seq() != after + 1 || !row.prevHash().equals(prev) || !row.hash().equals(hash(row))) {
                        long at = row.seq() != after + 1 ? after + 1 : row.seq();
                        return new Verification(count, false, at, prev, from, "the chain breaks at entry " + at);
                    }
                    prev = row.hash();
                    after = row.seq();
                    count++;
                }
            }
        });
    }

    /** Every checkpoint, oldest first. */
    public List<Checkpoint> checkpoints() {
        return journal.jdbi().withHandle(AuditLog::checkpoints);
    }

    private static List<Checkpoint> checkpoints(Handle h) {
        return h.createQuery("SELECT seq, hash, entry_at, created_at, deleted, key_id, signature FROM audit_checkpoint ORDER BY seq")
                .map((rs, ctx) -> new Checkpoint(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                        rs.getString(6), rs.getString(7)))
                .list();
    }

    /**
     * Removes the entries recorded before {@code cut}, after a signed checkpoint of the last one
     * removed, in one transaction: the chain verifies from the checkpoint on, and a crash leaves
     * either both or neither. Returns how many entries went (0 when none is that old).
     */
    public long purgeBefore(Instant cut) {
        if (keys == null) {
            throw new IllegalStateException("purging the audit log needs the instance key to sign its checkpoint");
        }
        return journal.writeTransaction(h -> {
            java.util.Optional<AuditRow> last = h.attach(AuditDao.class).lastBefore(Times.format(cut));
            if (last.isEmpty()) {
                return 0L;
            }
            AuditRow row = last.get();
            long deleted = h.createQuery("SELECT count(*) FROM audit_log WHERE seq <= :seq").bind("seq", row.seq()).mapTo(Long.class).one();
            Checkpoint c = new Checkpoint(row.seq(), row.hash(), row.at(), Times.format(Instant.now()), deleted, keys.keyId(), null);
            String signature = keys.sign(c.signingInput());
            h.createUpdate("""
                    INSERT INTO audit_checkpoint (seq, hash, entry_at, created_at, deleted, key_id, signature)
                    VALUES (:seq, :hash, :entryAt, :createdAt, :deleted, :keyId, :signature)""")
                    .bind("seq", c.seq()).bind("hash", c.hash()).bind("entryAt", c.entryAt()).bind("createdAt", c.createdAt())
                    .bind("deleted", deleted).bind("keyId", c.keyId()).bind("signature", signature).execute();
            h.createUpdate("DELETE FROM audit_log WHERE seq <= :seq").bind("seq", row.seq()).execute();
            return deleted;
        });
    }

    /** The hash of a row: SHA-256 over a JSON array of its fields (unambiguous, unlike joining with a separator). */
    static String hash(AuditRow r) {
        try {
            String canonical = Json.STRICT.writeValueAsString(Arrays.asList(r.prevHash(), r.seq(), r.at(), r.actor(), r.role(), r.action(),
                    r.target(), r.detail(), r.remote()));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Appends entries inside a transaction someone else commits (the journal's, so lineage posts
     * and their audit entries share one fsync). The transaction must hold the write lock from its start.
     */
    public static void appendWithin(Handle transaction, List<Entry> entries) {
        String at = Times.format(Instant.now());
        chain(transaction, entries.stream().map(e -> new Timed(e, at)).toList());
    }

    private record Timed(Entry entry, String at) {}

    /**
     * Links the entries to the chain's head as this transaction sees it and inserts them. Plain
     * JDBC on the transaction's connection: this runs inside every journal commit, where Jdbi's
     * per-call statement machinery cost more than the SQL.
     */
    private static void chain(Handle h, List<Timed> entries) {
        Connection connection = h.getConnection();
        try {
            long seq = 0;
            String prev = GENESIS;
            // When retention removed every entry, the chain goes on from the newest checkpoint.
            try (Statement head = connection.createStatement();
                 ResultSet last = head.executeQuery("""
                         SELECT seq, hash FROM (SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1) AS entry
                         UNION ALL SELECT seq, hash FROM (SELECT seq, hash FROM audit_checkpoint ORDER BY seq DESC LIMIT 1) AS checkpoint
                         ORDER BY seq DESC LIMIT 1""")) {
                if (last.next()) {
                    seq = last.getLong(1);
                    prev = last.getString(2);
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO audit_log (seq, at, actor, role, action, target, detail, remote, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Timed t : entries) {
                    Entry e = t.entry();
                    AuditRow row = new AuditRow(++seq, t.at(), e.actor(), e.role(), e.action(), e.target(), detail(e.detail()), e.remote(), prev, null);
                    String hash = hash(row);
                    Object[] values = {row.seq(), row.at(), row.actor(), row.role(), row.action(), row.target(), row.detail(), row.remote(), prev, hash};
                    for (int i = 0; i < values.length; i++) {
                        insert.setObject(i + 1, values[i]);
                    }
                    insert.addBatch();
                    prev = hash;
                }
                insert.executeBatch();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("audit log entries not written: " + e.getMessage(), e);
        }
    }

    private static String detail(Map<String, Object> detail) {
        if (detail == null || detail.isEmpty()) {
            return null;
        }
        try {
            return Json.CANONICAL.writeValueAsString(detail);
        } catch (JsonProcessingException e) {
            return "{\"unserialisable\":true}";
        }
    }

}
