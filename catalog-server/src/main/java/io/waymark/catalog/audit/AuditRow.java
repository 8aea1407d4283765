package io.waymark.catalog.audit;

/** One stored audit log entry, with the hash chaining it to the entry before. */
public record AuditRow(long seq, String at, String actor, String role, String action, String target, String detail, String remote,
                       String prevHash, String hash) {
}
