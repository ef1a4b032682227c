package dev.llmplatform.api.state;

import dev.llmplatform.api.config.DataHome;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The platform's state database (keys, usage, registry, audit): by default an embedded H2 file under the
 * data home's {@code state/}; any JDBC URL in {@code spring.datasource.url} (e.g. PostgreSQL) replaces it.
 * The same Flyway migrations ({@code classpath:db/migration}) run on both.
 */
public final class StateDatabase {
    /** Where Flyway finds the versioned migrations. */
    public static final String MIGRATIONS = "classpath:db/migration";

    private StateDatabase() {}

    /** The embedded database's JDBC URL for a data home. Spring closes it on shutdown, not H2's own hook. */
    public static String embeddedUrl(DataHome home) {
        return "jdbc:h2:file:" + home.state().resolve("llmp") + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /** Brings a database's schema up to date (what Spring's Flyway integration does for the server). */
    public static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations(MIGRATIONS).load().migrate();
    }
}
