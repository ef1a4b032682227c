package dev.llmplatform.api.state;

import dev.llmplatform.rag.store.CollectionCatalog;
import dev.llmplatform.rag.store.CollectionMetadata;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The RAG collections' metadata in the state database ({@code collections}). */
public final class JdbcCollectionCatalog implements CollectionCatalog {
    private static final String COLUMNS = "name, embedding_model, dimension, created_at";

    private final JdbcClient jdbc;

    public JdbcCollectionCatalog(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    @Override
    public void add(CollectionMetadata c) {
        try {
            jdbc.sql("INSERT INTO collections (" + COLUMNS + ") VALUES (?, ?, ?, ?)")
                    .params(c.name(), c.embeddingModel(), c.dimension(), c.createdAt().atOffset(ZoneOffset.UTC))
                    .update();
        } catch (DuplicateKeyException e) {
            throw new IllegalArgumentException("collection '" + c.name() + "' already exists", e);
        }
    }

    @Override
    public Optional<CollectionMetadata> find(String name) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM collections WHERE name = ?").param(name)
                .query((rs, n) -> metadata(rs)).optional();
    }

    @Override
    public List<CollectionMetadata> list() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM collections ORDER BY name").query((rs, n) -> metadata(rs)).list();
    }

    @Override
    public boolean remove(String name) {
        return jdbc.sql("DELETE FROM collections WHERE name = ?").param(name).update() > 0;
    }

    private static CollectionMetadata metadata(ResultSet rs) throws SQLException {
        return new CollectionMetadata(rs.getString("name"), rs.getString("embedding_model"), rs.getInt("dimension"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
