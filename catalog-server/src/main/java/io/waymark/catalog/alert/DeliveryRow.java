package io.waymark.catalog.alert;

/** One notification to one channel and its fate (PENDING, SENT, FAILED); {@code payload} holds no secret. */
public record DeliveryRow(String id, String channel, String incidentId, String action, String state, int attempts, String lastError,
                          String createdAt, String nextAttempt, String sentAt, String payload) {
}
