package io.waymark.catalog.discovery;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;
import java.util.Optional;

/** All SQL of discovery connections and their scans. */
@RegisterConstructorMapper(ConnectionRow.class)
@RegisterConstructorMapper(ScanRow.class)
public interface ConnectionDao {
    String COLUMNS = "name, jdbc_url, username, password_enc, password_env, include_json, exclude_json, sample_size, schedule, created_at, created_by, updated_at";
    String SCAN_COLUMNS = "id, connection, state, started_at, finished_at, tables, columns, progress, error, changes_json";

    @SqlUpdate("INSERT INTO connection (" + COLUMNS + ") VALUES (:name, :jdbcUrl, :username, :passwordEnc, :passwordEnv, :includeJson, :excludeJson,"
            + " :sampleSize, :schedule, :createdAt, :createdBy, :updatedAt)")
    void insert(@BindMethods ConnectionRow row);

    @SqlQuery("SELECT " + COLUMNS + " FROM connection WHERE name = :name")
    Optional<ConnectionRow> byName(@Bind("name") String name);

    @SqlQuery("SELECT " + COLUMNS + " FROM connection ORDER BY name")
    List<ConnectionRow> all();

    @SqlUpdate("DELETE FROM connection WHERE name = :name")
    int delete(@Bind("name") String name);

    @SqlUpdate("INSERT INTO connection_scan (" + SCAN_COLUMNS + ") VALUES (:id, :connection, :state, :startedAt, :finishedAt, :tables, :columns,"
            + " :progress, :error, :changesJson)")
    void insertScan(@BindMethods ScanRow row);

    @SqlUpdate("UPDATE connection_scan SET state = :state, finished_at = :finishedAt, tables = :tables, columns = :columns, progress = :progress,"
            + " error = :error, changes_json = :changesJson WHERE id = :id")
    void updateScan(@BindMethods ScanRow row);

    @SqlQuery("SELECT " + SCAN_COLUMNS + " FROM connection_scan WHERE connection = :connection AND id = :id")
    Optional<ScanRow> scan(@Bind("connection") String connection, @Bind("id") String id);

    @SqlQuery("SELECT " + SCAN_COLUMNS + " FROM connection_scan WHERE connection = :connection ORDER BY started_at DESC LIMIT :limit")
    List<ScanRow> scans(@Bind("connection") String connection, @Bind("limit") int limit);

    /** Scans a stopped server left RUNNING: they did not finish. */
    @SqlUpdate("UPDATE connection_scan SET state = 'FAILED', error = :error, finished_at = :at WHERE state = 'RUNNING'")
    int failRunning(@Bind("error") String error, @Bind("at") String at);
}
