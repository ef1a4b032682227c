package dev.llmplatform.api.state;

import dev.llmplatform.api.registry.ModelFileInfo;
import dev.llmplatform.api.registry.ModelFileStore;
import dev.llmplatform.api.registry.SidecarFiles;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The model registry's metadata in the state database ({@code model_files}), one row per file name of the
 * registry directory. A file with no row but a sidecar (a model pulled with the command line while the
 * server held the database) is adopted: its sidecar is copied into the table on first read.
 */
public final class JdbcModelFileStore implements ModelFileStore {
    private final JdbcClient jdbc;
    private final Clock clock;
    private final SidecarFiles sidecars = new SidecarFiles();

    public JdbcModelFileStore(DataSource dataSource, Clock clock) {
        this.jdbc = JdbcClient.create(dataSource);
        this.clock = clock;
    }

    @Override
    public Optional<ModelFileInfo> read(Path file) {
        Optional<ModelFileInfo> row = jdbc.sql("SELECT sha256, size_bytes, modified_millis, verified, source FROM model_files"
                        + " WHERE file_name = ?")
                .param(key(file))
                .query((rs, n) -> new ModelFileInfo(rs.getString("sha256"), rs.getLong("size_bytes"), rs.getLong("modified_millis"),
                        rs.getBoolean("verified"), rs.getString("source")))
                .optional();
        if (row.isPresent()) {
            return row;
        }
        Optional<ModelFileInfo> sidecar = sidecars.read(file);
        sidecar.ifPresent(info -> write(file, info));
        return sidecar;
    }

    @Override
    public void write(Path file, ModelFileInfo info) {
        // UPDATE, else INSERT: portable where MERGE/ON CONFLICT are not; a lost race to INSERT becomes an UPDATE.
        if (update(file, info) == 0) {
            try {
                jdbc.sql("INSERT INTO model_files (file_name, sha256, size_bytes, modified_millis, verified, source, updated_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?)")
                        .params(key(file), info.sha256(), info.size(), info.modifiedMillis(), info.verified(), info.source(), now())
                        .update();
            } catch (DuplicateKeyException raced) {
                update(file, info);
            }
        }
    }

    private int update(Path file, ModelFileInfo info) {
        return jdbc.sql("UPDATE model_files SET sha256 = ?, size_bytes = ?, modified_millis = ?, verified = ?, source = ?,"
                        + " updated_at = ? WHERE file_name = ?")
                .params(info.sha256(), info.size(), info.modifiedMillis(), info.verified(), info.source(), now(), key(file))
                .update();
    }

    /** Forgets the row and any sidecar, so a stale sidecar is never adopted later. */
    @Override
    public void delete(Path file) {
        jdbc.sql("DELETE FROM model_files WHERE file_name = ?").param(key(file)).update();
        sidecars.delete(file);
    }

    private static String key(Path file) {
        return file.getFileName().toString();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
