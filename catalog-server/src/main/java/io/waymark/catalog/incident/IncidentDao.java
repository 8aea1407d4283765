package io.waymark.catalog.incident;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;
import java.util.Optional;

/** All SQL of incidents. Portable between SQLite and PostgreSQL. */
@RegisterConstructorMapper(IncidentRow.class)
public interface IncidentDao {
    String COLUMNS = "id, kind, subject, namespace, name, episode, state, severity, title, detail, owner, opened_at, updated_at, "
            + "acknowledged_at, acknowledged_by, resolved_at, resolved_by, resolution";

    @SqlUpdate("INSERT INTO incident (" + COLUMNS + ") VALUES (:id, :kind, :subject, :namespace, :name, :episode, :state, :severity, :title, "
            + ":detail, :owner, :openedAt, :updatedAt, :acknowledgedAt, :acknowledgedBy, :resolvedAt, :resolvedBy, :resolution)")
    void insert(@BindMethods IncidentRow row);

    @SqlUpdate("UPDATE incident SET episode = :episode, severity = :severity, title = :title, detail = :detail, owner = :owner, "
            + "updated_at = :updatedAt WHERE id = :id")
    void refresh(@BindMethods IncidentRow row);

    @SqlUpdate("UPDATE incident SET state = 'ACKNOWLEDGED', acknowledged_at = :at, acknowledged_by = :actor, updated_at = :at "
            + "WHERE id = :id AND state = 'OPEN'")
    int acknowledge(@Bind("id") String id, @Bind("at") String at, @Bind("actor") String actor);

    @SqlUpdate("UPDATE incident SET state = 'RESOLVED', resolved_at = :at, resolved_by = :actor, resolution = :resolution, updated_at = :at "
            + "WHERE id = :id AND state <> 'RESOLVED'")
    int resolve(@Bind("id") String id, @Bind("at") String at, @Bind("actor") String actor, @Bind("resolution") String resolution);

    @SqlQuery("SELECT " + COLUMNS + " FROM incident WHERE state <> 'RESOLVED'")
    List<IncidentRow> active();

    @SqlQuery("SELECT count(*) > 0 FROM incident WHERE kind = :kind AND subject = :subject AND episode = :episode AND state = 'RESOLVED'")
    boolean resolvedEpisode(@Bind("kind") String kind, @Bind("subject") String subject, @Bind("episode") String episode);

    @SqlQuery("SELECT " + COLUMNS + " FROM incident WHERE id = :id")
    Optional<IncidentRow> byId(@Bind("id") String id);

    @SqlQuery("SELECT " + COLUMNS + " FROM incident WHERE (:state IS NULL OR state = :state) AND (:namespace IS NULL OR namespace = :namespace) "
            + "AND (:kind IS NULL OR kind = :kind) ORDER BY CASE state WHEN 'OPEN' THEN 0 WHEN 'ACKNOWLEDGED' THEN 1 ELSE 2 END, "
            + "CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, opened_at DESC, id LIMIT :limit OFFSET :offset")
    List<IncidentRow> find(@Bind("state") String state, @Bind("namespace") String namespace, @Bind("kind") String kind,
                           @Bind("limit") int limit, @Bind("offset") int offset);

    @SqlQuery("SELECT count(*) FROM incident WHERE (:state IS NULL OR state = :state) AND (:namespace IS NULL OR namespace = :namespace) "
            + "AND (:kind IS NULL OR kind = :kind)")
    int count(@Bind("state") String state, @Bind("namespace") String namespace, @Bind("kind") String kind);

    @SqlQuery("SELECT kind || '|' || state || '|' || count(*) FROM incident GROUP BY kind, state")
    List<String> countsByKindAndState();

    @SqlUpdate("INSERT INTO incident_event (incident_id, at, action, actor, detail) VALUES (:id, :at, :action, :actor, :detail)")
    void event(@Bind("id") String id, @Bind("at") String at, @Bind("action") String action, @Bind("actor") String actor, @Bind("detail") String detail);

    /** One step of an incident's life. */
    record Step(String at, String action, String actor, String detail) {}

    @SqlQuery("SELECT at, action, actor, detail FROM incident_event WHERE incident_id = :id ORDER BY at")
    @RegisterConstructorMapper(Step.class)
    List<Step> history(@Bind("id") String id);
}
