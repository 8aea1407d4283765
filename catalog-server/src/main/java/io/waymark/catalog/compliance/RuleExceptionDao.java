package io.waymark.catalog.compliance;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;

/** All SQL of rule exceptions. */
@RegisterConstructorMapper(RuleException.class)
public interface RuleExceptionDao {
    @SqlUpdate("""
            INSERT INTO rule_exception (id, rule_id, node_id, justification, approver, requested_by, created_at, expires_at, revoked_at)
            VALUES (:id, :ruleId, :nodeId, :justification, :approver, :requestedBy, :createdAt, :expiresAt, NULL)""")
    void insert(@BindMethods RuleException exception);

    @SqlUpdate("UPDATE rule_exception SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
    int revoke(@Bind("id") String id, @Bind("at") String at);

    @SqlQuery("""
            SELECT id, rule_id, node_id, justification, approver, requested_by, created_at, expires_at, revoked_at
            FROM rule_exception WHERE revoked_at IS NULL AND expires_at > :now""")
    List<RuleException> active(@Bind("now") String now);

    @SqlQuery("""
            SELECT id, rule_id, node_id, justification, approver, requested_by, created_at, expires_at, revoked_at
            FROM rule_exception WHERE id = :id""")
    java.util.Optional<RuleException> byId(@Bind("id") String id);

    @SqlQuery("""
            SELECT id, rule_id, node_id, justification, approver, requested_by, created_at, expires_at, revoked_at
            FROM rule_exception ORDER BY created_at DESC LIMIT :limit""")
    List<RuleException> all(@Bind("limit") int limit);
}
