package io.waymark.catalog.compliance;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;

/** All SQL of findings. Portable between SQLite and PostgreSQL. */
@RegisterConstructorMapper(FindingRow.class)
public interface FindingDao {
    @SqlBatch("""
            INSERT INTO finding (id, rule_id, rule_version, regulation, severity, outcome, node_id, title, evidence, remediation,
                                 first_seen, last_seen, resolved_at)
            VALUES (:id, :ruleId, :ruleVersion, :regulation, :severity, :outcome, :nodeId, :title, :evidence, :remediation,
                    :firstSeen, :lastSeen, NULL)
            ON CONFLICT (id) DO UPDATE SET rule_version = excluded.rule_version, severity = excluded.severity,
                outcome = excluded.outcome, title = excluded.title, evidence = excluded.evidence, remediation = excluded.remediation,
                last_seen = excluded.last_seen, resolved_at = NULL,
                first_seen = CASE WHEN finding.resolved_at IS NULL THEN finding.first_seen ELSE excluded.first_seen END
            """)
    void upsert(@BindMethods List<FindingRow> rows);

    @SqlUpdate("UPDATE finding SET resolved_at = :at WHERE resolved_at IS NULL AND last_seen < :at")
    int resolveOthers(@Bind("at") String at);

    @SqlUpdate("UPDATE finding SET resolved_at = :at WHERE resolved_at IS NULL AND last_seen < :at AND rule_id = :ruleId")
    int resolveOthersOfRule(@Bind("at") String at, @Bind("ruleId") String ruleId);

    @SqlUpdate("UPDATE finding SET resolved_at = :at WHERE resolved_at IS NULL AND last_seen < :at AND rule_id = :ruleId AND node_id IN (<nodeIds>)")
    int resolveOthersOf(@Bind("at") String at, @Bind("ruleId") String ruleId, @BindList("nodeIds") List<String> nodeIds);

    @SqlQuery("""
            SELECT id, rule_id, rule_version, regulation, severity, outcome, node_id, title, evidence, remediation,
                   first_seen, last_seen, resolved_at
            FROM finding
            WHERE (:resolved OR resolved_at IS NULL)
              AND (:regulation IS NULL OR regulation = :regulation) AND (:severity IS NULL OR severity = :severity)
              AND (:outcome IS NULL OR outcome = :outcome) AND (:nodeId IS NULL OR node_id = :nodeId)
              AND (:ruleId IS NULL OR rule_id = :ruleId)
            ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END,
                     regulation, rule_id, node_id
            LIMIT :limit""")
    List<FindingRow> find(@Bind("resolved") boolean includeResolved, @Bind("regulation") String regulation, @Bind("severity") String severity,
                          @Bind("outcome") String outcome, @Bind("nodeId") String nodeId, @Bind("ruleId") String ruleId,
                          @Bind("limit") int limit);

    /**
     * The findings that were open at {@code at}: first seen by then and not resolved by then
     * (their outcome and evidence as last recorded). {@code regulation} null: all regulations.
     */
    @SqlQuery("""
            SELECT id, rule_id, rule_version, regulation, severity, outcome, node_id, title, evidence, remediation,
                   first_seen, last_seen, resolved_at
            FROM finding
            WHERE first_seen <= :at AND (resolved_at IS NULL OR resolved_at > :at)
              AND (:regulation IS NULL OR regulation = :regulation)
            ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END,
                     regulation, rule_id, node_id""")
    List<FindingRow> openAt(@Bind("at") String at, @Bind("regulation") String regulation);

    /** When each finding that was open at some point since {@code from} opened and closed: the trend's raw data. */
    @SqlQuery("SELECT regulation, outcome, first_seen, resolved_at FROM finding WHERE resolved_at IS NULL OR resolved_at > :from")
    @RegisterConstructorMapper(Lifetime.class)
    List<Lifetime> lifetimesSince(@Bind("from") String from);

    record Lifetime(String regulation, String outcome, String firstSeen, String resolvedAt) {}
}
