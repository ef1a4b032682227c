package dev.llmplatform.api.cli;

import dev.llmplatform.api.config.DataHome;
import dev.llmplatform.api.security.ApiKey;
import dev.llmplatform.api.security.ApiKeySecrets;
import dev.llmplatform.api.security.ApiKeyStore;
import dev.llmplatform.api.security.CreatedKey;
import dev.llmplatform.api.security.NewKey;
import dev.llmplatform.api.security.Role;
import dev.llmplatform.api.state.StateDatabase;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.h2.jdbcx.JdbcConnectionPool;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code llmp keys create|list|revoke}: manages API keys directly in the state database (the embedded H2
 * file under the data home, or {@code SPRING_DATASOURCE_URL}). The embedded file can be open in one process
 * at a time, so while a server runs on it, use the server's {@code /v1/admin/keys} instead.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Create, list and revoke API keys in the state database (while no server uses it).",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
public final class KeysCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where the state database is. */
    static final class Database {
        @Option(names = "--home", paramLabel = "DIR",
                description = "Data home (default: LLMP_HOME, else ~/.llmp); the database is DIR/state/.")
        Path home;

        /** Opens, migrates, runs {@code work} against the key store, and closes the database. */
        <T> T withStore(Function<ApiKeyStore, T> work) {
            String url = System.getenv("SPRING_DATASOURCE_URL");
            if (url != null && !url.isBlank()) {
                var ds = new DriverManagerDataSource(url, env("SPRING_DATASOURCE_USERNAME"), env("SPRING_DATASOURCE_PASSWORD"));
                StateDatabase.migrate(ds);
                return work.apply(new ApiKeyStore(ds, new ApiKeySecrets(new SecureRandom()), Clock.systemUTC()));
            }
            DataHome dataHome = DataHome.resolve(home == null ? null : home.toString());
            JdbcConnectionPool pool = JdbcConnectionPool.create(StateDatabase.embeddedUrl(dataHome), "sa", "");
            try {
                StateDatabase.migrate(pool);
                return work.apply(new ApiKeyStore(pool, new ApiKeySecrets(new SecureRandom()), Clock.systemUTC()));
            } catch (RuntimeException e) {
                if (inUse(e)) {
                    throw new IllegalStateException("the state database under " + dataHome.state() + " is in use by a "
                            + "running server; manage keys through its API: POST/GET/DELETE /v1/admin/keys with an admin key");
                }
                throw e;
            } finally {
                pool.dispose();
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

    static String json(Object value) {
        return new ObjectMapper().writeValueAsString(value);
    }

    static Map<String, Object> summary(ApiKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.id());
        m.put("name", k.name());
        m.put("role", k.role().id());
        m.put("secret_prefix", k.secretPrefix());
        m.put("allowed_models", k.allowedModels());
        m.put("allowed_collections", k.allowedCollections());
        m.put("policy", k.policy());
        m.put("requests_per_minute", k.requestsPerMinute());
        m.put("tokens_per_minute", k.tokensPerMinute());
        m.put("created_at", k.createdAt().toString());
        m.put("revoked", k.revoked());
        m.put("prompt_tokens", k.promptTokens());
        m.put("completion_tokens", k.completionTokens());
        return m;
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a key and print its secret (shown only this once). Last line: JSON with id and key.")
    static final class Create implements Callable<Integer> {
        @Mixin
        Database db;

        @Option(names = "--name", required = true, description = "What the key is for (shown in listings).")
        String name;

        @Option(names = "--role", defaultValue = "user", description = "admin or user (default ${DEFAULT-VALUE}).")
        String role;

        @Option(names = "--model", paramLabel = "ID", description = "Limit a user key to this model; repeat for several.")
        List<String> models = new ArrayList<>();

        @Option(names = "--collection", paramLabel = "NAME", description = "Limit a user key to this collection; repeat.")
        List<String> collections = new ArrayList<>();

        @Option(names = "--policy", description = "Guardrail policy for requests with this key.")
        String policy;

        @Option(names = "--rpm", paramLabel = "N", description = "Requests per minute (default: llmp.rate-limits).")
        Integer rpm;

        @Option(names = "--tpm", paramLabel = "N", description = "Prompt+completion tokens per minute (default: llmp.rate-limits).")
        Integer tpm;

        @Override
        public Integer call() {
            NewKey spec = new NewKey(name, Role.parse(role), models, collections, policy, rpm, tpm);
            CreatedKey created = db.withStore(store -> store.create(spec));
            System.out.println("Created " + created.key().role().id() + " key " + created.key().id() + " (" + name + ").");
            System.out.println("Its secret is shown only now; store it safely:");
            System.out.println();
            System.out.println("    " + created.secret());
            System.out.println();
            Map<String, Object> last = summary(created.key());
            last.put("key", created.secret());
            System.out.println(json(last));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List keys (never secrets). Last line: JSON array.")
    static final class ListKeys implements Callable<Integer> {
        @Mixin
        Database db;

        @Override
        public Integer call() {
            List<ApiKey> keys = db.withStore(ApiKeyStore::list);
            System.out.printf("%-20s %-6s %-13s %-8s %s%n", "ID", "ROLE", "PREFIX", "STATE", "NAME");
            for (ApiKey k : keys) {
                System.out.printf("%-20s %-6s %-13s %-8s %s%n", k.id(), k.role().id(), k.secretPrefix() + "…",
                        k.revoked() ? "revoked" : "active", k.name());
            }
            System.out.println(json(keys.stream().map(KeysCommand::summary).toList()));
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a key: requests with it get 401 from the next server start (or at once through the API).")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        Database db;

        @Parameters(paramLabel = "ID", description = "The key's id (key_…).")
        String id;

        @Override
        public Integer call() {
            if (!db.withStore(store -> store.revoke(id))) {
                throw new IllegalArgumentException("no API key with id '" + id + "' (see 'llmp keys list')");
            }
            System.out.println(json(Map.of("id", id, "revoked", true)));
            return 0;
        }
    }
}
