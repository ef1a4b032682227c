package dev.llmplatform.api.state;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server the PostgreSQL tests run against: {@code LLMP_TEST_POSTGRES_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:55432/llmp_test}, where {@code .ci/run} starts one), user
 * {@code LLMP_TEST_POSTGRES_USER} (default {@code llmp}), password {@code LLMP_TEST_POSTGRES_PASSWORD}.
 * When none answers the tests are skipped with a message, except under {@code CI=true}, where that fails.
 */
record TestPostgres(String url, String user, String password) {

    static TestPostgres require() {
        TestPostgres pg = new TestPostgres(env("LLMP_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:55432/llmp_test"),
                env("LLMP_TEST_POSTGRES_USER", "llmp"), env("LLMP_TEST_POSTGRES_PASSWORD", ""));
        try (Connection c = pg.connect()) {
            return pg;
        } catch (SQLException e) {
            String message = "no PostgreSQL at " + pg.url + " (" + e.getMessage() + "): set LLMP_TEST_POSTGRES_URL, _USER, _PASSWORD,"
                    + " or run .ci/run, which starts one";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message);
            }
            Assumptions.abort(message);
            throw new AssertionError(message);
        }
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** The URL with {@code schema} as the connection's schema. */
    String urlWithSchema(String schema) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
