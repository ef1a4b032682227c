package dev.llmplatform.api.state;

import dev.llmplatform.api.config.DataHome;
import java.nio.file.Path;
import org.h2.jdbcx.JdbcConnectionPool;

/** A migrated embedded state database under a data home, as the server opens it; closed by the test. */
final class StateDatabaseFixture implements AutoCloseable {
    final JdbcConnectionPool pool;

    StateDatabaseFixture(Path home) {
        pool = JdbcConnectionPool.create(StateDatabase.embeddedUrl(new DataHome(home)), "sa", "");
        StateDatabase.migrate(pool);
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
