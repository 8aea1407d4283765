package io.waymark.catalog.model;

import java.util.regex.Pattern;

/** Glob patterns as people write them in settings: {@code *} any run of characters, {@code ?} one; the rest literal. */
public final class Globs {
    private Globs() {}

    public static Pattern pattern(String glob, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
    }
}
