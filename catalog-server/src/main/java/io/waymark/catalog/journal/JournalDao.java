package io.waymark.catalog.journal;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;
import java.util.Optional;

/** All SQL of the event journal. Portable between SQLite and PostgreSQL. */
@RegisterConstructorMapper(JournalEntry.class)
@RegisterConstructorMapper(ProjectionError.class)
@RegisterConstructorMapper(HourCount.class)
public interface JournalDao {

    @SqlBatch("""
            INSERT INTO lineage_event (received_at, event_time, kind, event_type, run_id, job_namespace, job_name, content_hash, payload, target)
            VALUES (:receivedAt, :eventTime, :kind, :eventType, :runId, :jobNamespace, :jobName, :contentHash, :payload, :target)
            ON CONFLICT (content_hash) DO NOTHING
            """)
    int[] insert(@BindMethods List<NewEvent> events);

    @SqlQuery("""
            SELECT id, received_at, event_time, kind, event_type, run_id, job_namespace, job_name, payload
            FROM lineage_event WHERE id > :after ORDER BY id LIMIT :limit
            """)
    List<JournalEntry> after(@Bind("after") long after, @Bind("limit") int limit);

    @SqlQuery("""
            SELECT id, received_at, event_time, kind, event_type, run_id, job_namespace, job_name, payload
            FROM lineage_event WHERE kind IN ('RUN', 'DATASET', 'JOB')
              AND (:before IS NULL OR event_time < :before) AND (:after IS NULL OR event_time > :after)
            ORDER BY event_time DESC, id DESC LIMIT :limit OFFSET :offset
            """)
    List<JournalEntry> page(@Bind("before") String before, @Bind("after") String after,
                            @Bind("limit") int limit, @Bind("offset") int offset);

    @SqlQuery("""
            SELECT count(*) FROM lineage_event WHERE kind IN ('RUN', 'DATASET', 'JOB')
              AND (:before IS NULL OR event_time < :before) AND (:after IS NULL OR event_time > :after)
            """)
    long count(@Bind("before") String before, @Bind("after") String after);

    @SqlQuery("""
            SELECT id, received_at, event_time, kind, event_type, run_id, job_namespace, job_name, payload
            FROM lineage_event WHERE target = :target ORDER BY id DESC LIMIT :limit
            """)
    List<JournalEntry> history(@Bind("target") String target, @Bind("limit") int limit);

    /** Run events per event-time hour and type; event_time is fixed-width UTC text, so its first 13 characters are the hour. */
    @SqlQuery("""
            SELECT substr(event_time, 1, 13) AS hour, event_type AS type, count(*) AS count
            FROM lineage_event WHERE kind = 'RUN' AND event_time >= :from AND event_time < :to
            GROUP BY substr(event_time, 1, 13), event_type
            """)
    List<HourCount> eventsByHour(@Bind("from") String from, @Bind("to") String to);

    @SqlQuery("SELECT coalesce(max(id), 0) FROM lineage_event")
    long maxId();

    @SqlQuery("SELECT count(*) FROM lineage_event")
    long size();

    /** The bytes of the events after {@code id}: what projection is yet to write into the graph. */
    @SqlQuery("SELECT coalesce(sum(length(payload)), 0) FROM lineage_event WHERE id > :id")
    long bytesAfter(@Bind("id") long id);

    @SqlQuery("SELECT last_event_id FROM projection_state WHERE name = :name")
    Optional<Long> watermark(@Bind("name") String name);

    @SqlUpdate("""
            INSERT INTO projection_state (name, last_event_id, updated_at) VALUES (:name, :id, :at)
            ON CONFLICT (name) DO UPDATE SET last_event_id = excluded.last_event_id, updated_at = excluded.updated_at
            """)
    void setWatermark(@Bind("name") String name, @Bind("id") long id, @Bind("at") String at);

    @SqlUpdate("""
            INSERT INTO projection_error (event_id, failed_at, error) VALUES (:id, :at, :error)
            ON CONFLICT (event_id) DO UPDATE SET failed_at = excluded.failed_at, error = excluded.error
            """)
    void recordError(@Bind("id") long id, @Bind("at") String at, @Bind("error") String error);

    @SqlUpdate("DELETE FROM projection_error")
    void clearErrors();

    @SqlUpdate("DELETE FROM projection_error WHERE event_id = :id")
    void deleteError(@Bind("id") long id);

    @SqlQuery("""
            SELECT e.event_id, e.failed_at, e.error, l.kind, l.event_type, l.run_id, l.job_namespace, l.job_name, l.received_at
            FROM projection_error e LEFT JOIN lineage_event l ON l.id = e.event_id
            ORDER BY e.event_id LIMIT :limit OFFSET :offset
            """)
    List<ProjectionError> errors(@Bind("limit") int limit, @Bind("offset") int offset);

    @SqlQuery("""
            SELECT id, received_at, event_time, kind, event_type, run_id, job_namespace, job_name, payload
            FROM lineage_event WHERE id = :id
            """)
    Optional<JournalEntry> entry(@Bind("id") long id);

    @SqlQuery("SELECT count(*) FROM projection_error")
    long errorCount();
}
