package io.waymark.catalog.auth;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;
import java.util.Optional;

/** All SQL of API tokens. Portable between SQLite and PostgreSQL. */
@RegisterConstructorMapper(ApiToken.class)
public interface ApiTokenDao {
    @SqlUpdate("""
            INSERT INTO api_token (id, name, role, token_hash, created_at, created_by, revoked_at)
            VALUES (:id, :name, :role, :tokenHash, :createdAt, :createdBy, NULL)""")
    void insert(@BindMethods ApiToken token);

    @SqlQuery("SELECT * FROM api_token WHERE token_hash = :hash AND revoked_at IS NULL")
    Optional<ApiToken> active(@Bind("hash") String hash);

    @SqlQuery("SELECT * FROM api_token WHERE id = :id")
    Optional<ApiToken> byId(@Bind("id") String id);

    @SqlQuery("SELECT * FROM api_token ORDER BY created_at, id")
    List<ApiToken> all();

    @SqlQuery("SELECT count(*) FROM api_token")
    int count();

    @SqlUpdate("UPDATE api_token SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
    int revoke(@Bind("id") String id, @Bind("at") String at);

    @SqlUpdate("UPDATE api_token SET revoked_at = :at WHERE name = :name AND token_hash <> :keep AND revoked_at IS NULL")
    int revokeNamedExcept(@Bind("name") String name, @Bind("keep") String keepHash, @Bind("at") String at);
}
