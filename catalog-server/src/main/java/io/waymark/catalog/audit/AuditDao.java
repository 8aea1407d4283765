package io.waymark.catalog.audit;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.util.List;
import java.util.Optional;

/** The audit log's queries (AuditLog inserts with plain JDBC inside the journal's commits; triggers refuse UPDATE and DELETE). */
@RegisterConstructorMapper(AuditRow.class)
public interface AuditDao {
    @SqlQuery("SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1")
    Optional<AuditRow> last();

    /** Newest first; an action matches itself and its sub-actions ({@code annotation} matches {@code annotation.update}). */
    @SqlQuery("""
            SELECT * FROM audit_log
            WHERE (:since IS NULL OR at >= :since) AND (:actor IS NULL OR actor = :actor)
              AND (:action IS NULL OR action = :action OR action LIKE :action || '.%')
              AND (:before IS NULL OR seq < :before)
            ORDER BY seq DESC LIMIT :limit""")
    List<AuditRow> find(@Bind("since") String since, @Bind("actor") String actor, @Bind("action") String action,
                        @Bind("before") Long before, @Bind("limit") int limit);

    /** The oldest entry's seq, 0 when there is none. */
    @SqlQuery("SELECT coalesce(min(seq), 0) FROM audit_log")
    long firstSeq();

    @SqlQuery("SELECT * FROM audit_log WHERE at < :cut ORDER BY seq DESC LIMIT 1")
    Optional<AuditRow> lastBefore(@Bind("cut") String cut);

    @SqlQuery("SELECT * FROM audit_log WHERE seq > :after ORDER BY seq LIMIT :limit")
    List<AuditRow> page(@Bind("after") long after, @Bind("limit") int limit);
}
