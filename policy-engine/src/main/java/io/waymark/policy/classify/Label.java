package io.waymark.policy.classify;

/**
 * A classification a detector proposes for a column. {@code status}: DETECTED (confident),
 * PROPOSED (waits for a steward's accept or reject), DETECTED_NAME_ONLY (no values to confirm it:
 * weak evidence that rules treat as UNKNOWN).
 */
public record Label(String code, String status, double confidence, String protection, String detector, String explanation) {
    public static final String DETECTED = "DETECTED";
    public static final String PROPOSED = "PROPOSED";
    public static final String NAME_ONLY = "DETECTED_NAME_ONLY";
}
