package io.waymark.policy.propagation;

/**
 * How exposed a labelled value is, by rank (compliance-research §3.2): higher is more exposed.
 * When several inputs give an output the same classification, the most exposed state wins.
 */
public enum Protection {
    AGGREGATED(0), ANONYMISED(0), HASHED_KEYED(1), TRUNCATED(1), ENCRYPTED(2), TOKENISED(2), HASHED_UNKEYED(3), PARTIAL(4), CLEAR(5);

    private final int rank;

    Protection(int rank) {
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }

    public static Protection worse(Protection a, Protection b) {
        return b.rank > a.rank ? b : a;
    }
}
