package io.waymark.catalog.discovery;

/** A discovery connection as stored (the password only encrypted or named as an environment variable). */
public record ConnectionRow(String name, String jdbcUrl, String username, String passwordEnc, String passwordEnv, String includeJson,
                            String excludeJson, int sampleSize, String schedule, String createdAt, String createdBy, String updatedAt) {}
