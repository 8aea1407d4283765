package io.waymark.catalog.report;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;
import java.util.Optional;

/** The register of issued reports. Portable between SQLite and PostgreSQL. */
@RegisterConstructorMapper(ReportRow.class)
public interface ReportDao {
    @SqlUpdate("""
            INSERT INTO report (seq, generated_at, generated_by, regulation, format, content_sha256, manifest, manifest_sha256)
            VALUES (:seq, :generatedAt, :generatedBy, :regulation, :format, :contentSha256, :manifest, :manifestSha256)""")
    void insert(@BindMethods ReportRow row);

    @SqlQuery("SELECT * FROM report ORDER BY seq DESC LIMIT 1")
    Optional<ReportRow> last();

    @SqlQuery("SELECT * FROM report WHERE seq = :seq")
    Optional<ReportRow> bySeq(@Bind("seq") long seq);

    @SqlQuery("SELECT * FROM report ORDER BY seq DESC LIMIT :limit")
    List<ReportRow> recent(@Bind("limit") int limit);
}
