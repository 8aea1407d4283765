package io.waymark.catalog.api;

/** A page of a list as query parameters give it: {@code limit} from 0 to {@link #MAX}, {@code offset} 0 or more. */
public record Paging(int limit, int offset) {
    public static final int MAX = 1000;
    public static final String RULE = "limit (0 to " + MAX + ") and offset (0 or more) are whole numbers";

    /** The page asked for, or null when a parameter is not a whole number in range (answer 400 with {@link #RULE}). */
    public static Paging of(String limit, String offset, int defaultLimit) {
        try {
            int lim = limit == null ? defaultLimit : Integer.parseInt(limit);
            int off = offset == null ? 0 : Integer.parseInt(offset);
            return lim < 0 || lim > MAX || off < 0 ? null : new Paging(lim, off);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
