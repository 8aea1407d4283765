package io.waymark.sql;

import net.sf.jsqlparser.JSQLParserException;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL's COPY, which JSqlParser does not parse: {@code COPY table [(columns)] FROM …} writes
 * the table, {@code COPY table [(columns)] TO …} reads it, {@code COPY (query) TO …} reads what the
 * query reads. The file, program or client stream on the other side is not a table the run can
 * name, so it is not reported. (pgjdbc's CopyManager sends COPY without a Statement; only a COPY
 * run through execute() is seen.)
 */
final class CopyStatement {
    private static final Pattern COPY = Pattern.compile("(?is)^\\s*COPY\\s+(.*)$");
    private static final Pattern TABLE = Pattern.compile("(?is)^((?:\"[^\"]+\"|[\\w$]+)(?:\\s*\\.\\s*(?:\"[^\"]+\"|[\\w$]+)){0,2})\\s*(\\([^)]*\\))?\\s+(FROM|TO)\\b.*$");

    private CopyStatement() {}

    static boolean matches(String sql) {
        return COPY.matcher(sql).matches();
    }

    static SqlLineage.Effect analyse(String sql, java.util.function.Function<SqlLineage.TableRef, List<String>> knownColumns)
            throws JSQLParserException {
        Matcher copy = COPY.matcher(sql);
        if (!copy.matches()) {
            throw new JSQLParserException("not a COPY statement");
        }
        String rest = copy.group(1).strip();
        if (rest.startsWith("(")) {
            int end = closing(rest);
            if (end < 0 || !rest.substring(end + 1).strip().toUpperCase(java.util.Locale.ROOT).startsWith("TO")) {
                throw new JSQLParserException("COPY (query) must be followed by TO: " + sql);
            }
            SqlLineage.Effect query = SqlLineage.analyse(rest.substring(1, end), knownColumns);
            return new SqlLineage.Effect("COPY_TO", query.inputs(), null, List.of(), Map.of(), List.of());
        }
        Matcher table = TABLE.matcher(rest);
        if (!table.matches()) {
            throw new JSQLParserException("COPY statement not understood: " + sql);
        }
        SqlLineage.TableRef ref = SqlLineage.TableRef.parse(table.group(1).replaceAll("\\s+", ""));
        if (table.group(3).equalsIgnoreCase("FROM")) {
            return new SqlLineage.Effect("COPY_FROM", Set.of(), ref, List.of(), Map.of(), List.of());
        }
        return new SqlLineage.Effect("COPY_TO", Set.of(ref), null, List.of(), Map.of(), List.of());
    }

    /** The index of the parenthesis closing the one at 0 (quotes respected), or -1. */
    private static int closing(String s) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }
}
