package dev.llmplatform.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.api.config.DataHome;
import dev.llmplatform.api.security.ApiKeySecrets;
import dev.llmplatform.api.security.ApiKeyStore;
import dev.llmplatform.api.state.StateDatabase;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class KeysCommandTest {
    @TempDir
    Path home;

    final ObjectMapper json = new ObjectMapper();

    JsonNode lastLine(String out) {
        List<String> lines = out.lines().toList();
        return json.readTree(lines.get(lines.size() - 1));
    }

    @Test
    void createListRevokeOnTheStateDatabase() {
        var created = LlmpCommandTest.run("keys", "create", "--home", home.toString(), "--name", "ci bot",
                "--model", "qwen", "--collection", "hr", "--rpm", "30");
        assertThat(created.code()).as(created.err()).isZero();
        JsonNode key = lastLine(created.out());
        String secret = key.get("key").asString();
        String id = key.get("id").asString();
        assertThat(created.out()).contains("    " + secret);
        assertThat(key.get("role").asString()).isEqualTo("user");
        assertThat(key.get("allowed_models").get(0).asString()).isEqualTo("qwen");

        // The server's store finds the key by its secret: both use the same file under <home>/state.
        JdbcConnectionPool pool = JdbcConnectionPool.create(StateDatabase.embeddedUrl(new DataHome(home)), "sa", "");
        try {
            ApiKeyStore store = new ApiKeyStore(pool, new ApiKeySecrets(new SecureRandom()), Clock.systemUTC());
            assertThat(store.findActiveBySecret(secret)).hasValueSatisfying(k -> {
                assertThat(k.id()).isEqualTo(id);
                assertThat(k.requestsPerMinute()).isEqualTo(30);
                assertThat(k.allowedCollections()).containsExactly("hr");
            });
        } finally {
            pool.dispose();
        }

        var list = LlmpCommandTest.run("keys", "list", "--home", home.toString());
        assertThat(list.code()).isZero();
        assertThat(list.out()).contains(id).contains("active").doesNotContain(secret);
        assertThat(lastLine(list.out()).get(0).get("id").asString()).isEqualTo(id);

        var revoked = LlmpCommandTest.run("keys", "revoke", "--home", home.toString(), id);
        assertThat(revoked.code()).isZero();
        assertThat(LlmpCommandTest.run("keys", "list", "--home", home.toString()).out()).contains("revoked");
    }

    @Test
    void mistakesAreOneLineMessages() {
        var badRole = LlmpCommandTest.run("keys", "create", "--home", home.toString(), "--name", "x", "--role", "root");
        assertThat(badRole.code()).isNotZero();
        assertThat(badRole.err()).contains("role: must be 'admin' or 'user'").doesNotContain("Exception");
        var unknown = LlmpCommandTest.run("keys", "revoke", "--home", home.toString(), "key_nope");
        assertThat(unknown.code()).isNotZero();
        assertThat(unknown.err()).contains("no API key with id 'key_nope'");
        var limitedAdmin = LlmpCommandTest.run("keys", "create", "--home", home.toString(), "--name", "x",
                "--role", "admin", "--model", "m");
        assertThat(limitedAdmin.err()).contains("an admin key cannot be limited");
    }

    @Test
    void aDatabaseInUseByAServerIsExplained() throws Exception {
        // Another process holds the embedded file open, as a running server does (H2 locks it per process).
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                HoldDatabaseOpen.class.getName(), StateDatabase.embeddedUrl(new DataHome(home)))
                .redirectErrorStream(true).start();
        try {
            String ready = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream())).readLine();
            assertThat(ready).isEqualTo("open");
            var r = LlmpCommandTest.run("keys", "list", "--home", home.toString());
            assertThat(r.code()).isNotZero();
            assertThat(r.err()).contains("in use by a running server").contains("/v1/admin/keys").doesNotContain("Exception");
        } finally {
            holder.getOutputStream().close();
            holder.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            holder.destroy();
        }
    }

    /** Opens a database, says "open", and keeps it open until its standard input closes. */
    public static final class HoldDatabaseOpen {
        public static void main(String[] args) throws Exception {
            try (var c = java.sql.DriverManager.getConnection(args[0], "sa", "")) {
                System.out.println("open");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // wait for the parent to close our input
                }
            }
        }
    }
}
