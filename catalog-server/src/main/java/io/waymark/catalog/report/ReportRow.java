package io.waymark.catalog.report;

/** One issued report: its manifest (JSON text, exactly the signed bytes) and digests. */
public record ReportRow(long seq, String generatedAt, String generatedBy, String regulation, String format, String contentSha256,
                        String manifest, String manifestSha256) {
}
