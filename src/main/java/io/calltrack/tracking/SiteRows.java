package io.calltrack.tracking;

import io.calltrack.platform.db.Jdbc;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

/**
 * What the repositories of a site's rows (channels, numbers) do alike: run their own SQL for the row
 * {@code :siteId}/{@code :id} or for the whole site, and map what it returns. The SQL stays in each repository.
 */
final class SiteRows<T> {
    private final Jdbc jdbc;
    private final RowMapper<T> mapper;

    SiteRows(Jdbc jdbc, RowMapper<T> mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    /** The site's row {@code id} that {@code sql} selects or changes and returns; {@code data} binds the rest. */
    Optional<T> one(String sql, long siteId, long id, UnaryOperator<Query> data) {
        return jdbc.withHandle(h -> data.apply(h.createQuery(sql))
                .bind("siteId", siteId).bind("id", id)
                .map(mapper).findOne());
    }

    Optional<T> one(String sql, long siteId, long id) {
        return one(sql, siteId, id, UnaryOperator.identity());
    }

    List<T> ofSite(String sql, long siteId) {
        return jdbc.withHandle(h -> h.createQuery(sql).bind("siteId", siteId).map(mapper).list());
    }

    /** True when {@code sql} deleted the site's row {@code id}. */
    boolean delete(String sql, long siteId, long id) {
        return jdbc.withHandle(h -> h.createUpdate(sql).bind("siteId", siteId).bind("id", id).execute() == 1);
    }
}
