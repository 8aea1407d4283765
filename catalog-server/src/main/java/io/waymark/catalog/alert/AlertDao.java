package io.waymark.catalog.alert;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;
import java.util.Optional;

/** All SQL of alert channels and deliveries. Portable between SQLite and PostgreSQL. */
@RegisterConstructorMapper(ChannelRow.class)
@RegisterConstructorMapper(DeliveryRow.class)
public interface AlertDao {
    @SqlUpdate("INSERT INTO alert_channel (name, type, settings, secret_enc, route, created_at, created_by) "
            + "VALUES (:name, :type, :settings, :secretEnc, :route, :createdAt, :createdBy)")
    void insert(@BindMethods ChannelRow row);

    @SqlQuery("SELECT name, type, settings, secret_enc, route, created_at, created_by FROM alert_channel ORDER BY name")
    List<ChannelRow> channels();

    @SqlQuery("SELECT name, type, settings, secret_enc, route, created_at, created_by FROM alert_channel WHERE name = :name")
    Optional<ChannelRow> channel(@Bind("name") String name);

    @SqlUpdate("DELETE FROM alert_channel WHERE name = :name")
    int delete(@Bind("name") String name);

    @SqlUpdate("INSERT INTO alert_delivery (id, channel, incident_id, action, state, attempts, last_error, created_at, next_attempt, sent_at, payload) "
            + "VALUES (:id, :channel, :incidentId, :action, :state, :attempts, :lastError, :createdAt, :nextAttempt, :sentAt, :payload)")
    void insert(@BindMethods DeliveryRow row);

    @SqlQuery("SELECT id, channel, incident_id, action, state, attempts, last_error, created_at, next_attempt, sent_at, payload "
            + "FROM alert_delivery WHERE state = 'PENDING' AND next_attempt <= :now ORDER BY created_at LIMIT 100")
    List<DeliveryRow> due(@Bind("now") String now);

    @SqlUpdate("UPDATE alert_delivery SET state = :state, attempts = :attempts, last_error = :lastError, next_attempt = :nextAttempt, "
            + "sent_at = :sentAt WHERE id = :id")
    void update(@BindMethods DeliveryRow row);

    @SqlQuery("SELECT id, channel, incident_id, action, state, attempts, last_error, created_at, next_attempt, sent_at, payload "
            + "FROM alert_delivery WHERE (:channel IS NULL OR channel = :channel) AND (:state IS NULL OR state = :state) "
            + "AND (:incident IS NULL OR incident_id = :incident) ORDER BY created_at DESC LIMIT :limit")
    List<DeliveryRow> deliveries(@Bind("channel") String channel, @Bind("state") String state, @Bind("incident") String incident,
                                 @Bind("limit") int limit);
}
