package dev.llmplatform.api.state;

import dev.llmplatform.api.config.DataHome;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The state database as a command opens it without a server: {@code SPRING_DATASOURCE_URL} (with
 * {@code _USERNAME}, {@code _PASSWORD}) when set, else the embedded file under the data home; migrated, and
 * files of earlier versions imported, exactly as the server does at start. H2 lets one process at a time
 * open the embedded file, so while a server runs on it opening fails with a message saying what to use
 * instead.
 */
public final class CommandLineStateDatabase implements AutoCloseable {
    private final DataSource dataSource;
    private final Runnable close;

    private CommandLineStateDatabase(DataSource dataSource, Runnable close) {
        this.dataSource = dataSource;
        this.close = close;
    }

    /**
     * Opens the state database of {@code home}.
     *
     * @param insteadWhileServing what to tell the user to do instead when a running server holds the database,
     *                            e.g. "manage keys through its API: …"
     * @throws IllegalStateException when a running server holds the embedded database
     */
    public static CommandLineStateDatabase open(DataHome home, String insteadWhileServing) {
        quietDatabaseLogging();
        String url = System.getenv("SPRING_DATASOURCE_URL");
        CommandLineStateDatabase db;
        if (url != null && !url.isBlank()) {
            db = new CommandLineStateDatabase(
                    new DriverManagerDataSource(url, env("SPRING_DATASOURCE_USERNAME"), env("SPRING_DATASOURCE_PASSWORD")), () -> { });
        } else {
            JdbcConnectionPool pool = JdbcConnectionPool.create(StateDatabase.embeddedUrl(home), "sa", "");
            db = new CommandLineStateDatabase(pool, pool::dispose);
        }
        try {
            StateDatabase.migrate(db.dataSource);
            DataSource ds = db.dataSource;
            new FileImport(ds, Clock.systemUTC()).importAll(home, new JdbcModelFileStore(ds, Clock.systemUTC()),
                    new JdbcCollectionCatalog(ds), new JdbcAuditStore(ds, AuditRetention.of(0, Duration.ZERO), Clock.systemUTC()));
            return db;
        } catch (RuntimeException e) {
            db.close();
            if (inUse(e)) {
                throw new IllegalStateException("the state database under " + home.state() + " is in use by a running server; "
                        + insteadWhileServing);
            }
            throw e;
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        close.run();
    }

    /**
     * Without a server nothing configures logging, and the default would print Flyway's progress on standard
     * output, mixed into the command's results (often JSON read by scripts): keep only errors.
     */
    private static void quietDatabaseLogging() {
        for (String name : new String[] {"org.flywaydb", FileImport.class.getName()}) {
            if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
                logger.setLevel(ch.qos.logback.classic.Level.ERROR);
            }
        }
    }

    private static boolean inUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getErrorCode() == org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1) {
                return true;
            }
        }
        return false;
    }

    private static String env(String name) {
        String v = System.getenv(name);
        return v == null ? "" : v;
    }
}
