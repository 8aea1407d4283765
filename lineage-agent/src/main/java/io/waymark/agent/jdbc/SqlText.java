package io.waymark.agent.jdbc;

/** SQL text with its literals blanked, so statements that differ only in values are one statement. */
final class SqlText {
    private SqlText() {}

    /**
     * Replaces string and numeric literals by {@code ?} and folds runs of whitespace; identifiers,
     * quoted identifiers and comments' absence of meaning are kept. One pass, no allocation beyond
     * the result: this runs on the host's thread for every statement.
     */
    static String normalise(String sql) {
        StringBuilder sb = new StringBuilder(sql.length());
        int n = sql.length();
        boolean space = false;
        for (int i = 0; i < n; i++) {
            char c = sql.charAt(i);
            if (c == '\'') {
                int j = i + 1;
                while (j < n) {
                    if (sql.charAt(j) == '\'') {
                        if (j + 1 < n && sql.charAt(j + 1) == '\'') {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                flushSpace(sb, space);
                space = false;
                sb.append('?');
                i = j;
            } else if (c == '"' || c == '`' || c == '[') {
                char close = c == '[' ? ']' : c;
                int j = sql.indexOf(close, i + 1);
                j = j < 0 ? n - 1 : j;
                flushSpace(sb, space);
                space = false;
                sb.append(sql, i, j + 1);
                i = j;
            } else if (Character.isDigit(c) && (sb.length() == 0 || !identifierPart(sb.charAt(sb.length() - 1)) || space)) {
                int j = i;
                while (j + 1 < n && (Character.isDigit(sql.charAt(j + 1)) || sql.charAt(j + 1) == '.')) {
                    j++;
                }
                flushSpace(sb, space);
                space = false;
                sb.append('?');
                i = j;
            } else if (Character.isWhitespace(c)) {
                space = sb.length() > 0;
            } else {
                flushSpace(sb, space);
                space = false;
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static void flushSpace(StringBuilder sb, boolean space) {
        if (space) {
            sb.append(' ');
        }
    }

    private static boolean identifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
