package dev.llmplatform.api.cli;

import dev.llmplatform.api.config.DataHome;
import dev.llmplatform.api.security.ApiKey;
import dev.llmplatform.api.security.ApiKeySecrets;
import dev.llmplatform.api.security.ApiKeyStore;
import dev.llmplatform.api.security.CreatedKey;
import dev.llmplatform.api.security.NewKey;
import dev.llmplatform.api.security.Role;
import dev.llmplatform.api.state.CommandLineStateDatabase;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code llmp keys create|list|revoke}: manages API keys directly in the state database (the embedded H2
 * file under the data home, or {@code SPRING_DATASOURCE_URL}; see {@link CommandLineStateDatabase}). The embedded file can be open in one process
 * at a time, so while a server runs on it, give {@code --url} and an admin key to go through the server's
 * {@code /v1/admin/keys} instead.
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

    /** Where the keys are: the state database directly, or a running server's admin API. */
    static final class Database {
        @Option(names = "--home", paramLabel = "DIR",
                description = "Data home (default: LLMP_HOME, else ~/.llmp); the database is DIR/state/.")
        Path home;

        @Option(names = "--url", paramLabel = "URL",
                description = "A running server (e.g. http://127.0.0.1:8080): manage keys through its admin API.")
        String url;

        @Option(names = "--api-key", paramLabel = "KEY",
                description = "Admin key for --url (default: LLMP_API_KEY, else LLMP_ADMIN_KEY).")
        String apiKey;

        /** The server's admin API when {@code --url} was given, else null. */
        AdminApiClient remote() {
            if (url == null || url.isBlank()) {
                return null;
            }
            String key = apiKey;
            for (String env : new String[] {"LLMP_API_KEY", "LLMP_ADMIN_KEY"}) {
                if (key == null || key.isBlank()) {
                    key = System.getenv(env);
                }
            }
            return new AdminApiClient(url, key);
        }

        /** Opens, migrates, runs {@code work} against the key store, and closes the database. */
        <T> T withStore(Function<ApiKeyStore, T> work) {
            DataHome dataHome = DataHome.resolve(home == null ? null : home.toString());
            try (CommandLineStateDatabase db = CommandLineStateDatabase.open(dataHome,
                    "manage keys through its API: POST/GET/DELETE /v1/admin/keys with an admin key (or --url)")) {
                return work.apply(new ApiKeyStore(db.dataSource(), new ApiKeySecrets(new SecureRandom()), Clock.systemUTC()));
            }
        }
    }

    private static String text(Object node) {
        return node instanceof JsonNode n ? n.asString() : String.valueOf(node);
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
            NewKey spec = new NewKey(name, Role.parse(role), models, collections, policy, rpm, tpm).validate();
            AdminApiClient remote = db.remote();
            Map<String, Object> last;
            if (remote != null) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("name", spec.name());
                body.put("role", spec.role().id());
                body.put("allowed_models", spec.allowedModels());
                body.put("allowed_collections", spec.allowedCollections());
                body.put("policy", spec.policy());
                body.put("requests_per_minute", spec.requestsPerMinute());
                body.put("tokens_per_minute", spec.tokensPerMinute());
                JsonNode created = remote.post("/v1/admin/keys", body);
                last = new LinkedHashMap<>();
                for (String field : List.of("id", "name", "role", "secret_prefix", "allowed_models", "allowed_collections",
                        "policy", "requests_per_minute", "tokens_per_minute", "key")) {
                    last.put(field, created.get(field));
                }
            } else {
                CreatedKey created = db.withStore(store -> store.create(spec));
                last = summary(created.key());
                last.put("key", created.secret());
            }
            System.out.println("Created " + spec.role().id() + " key " + text(last.get("id")) + " (" + name + ").");
            System.out.println("Its secret is shown only now; store it safely:");
            System.out.println();
            System.out.println("    " + text(last.get("key")));
            System.out.println();
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
            AdminApiClient remote = db.remote();
            System.out.printf("%-20s %-6s %-13s %-8s %s%n", "ID", "ROLE", "PREFIX", "STATE", "NAME");
            if (remote != null) {
                JsonNode data = remote.get("/v1/admin/keys").get("data");
                for (JsonNode k : data) {
                    System.out.printf("%-20s %-6s %-13s %-8s %s%n", k.get("id").asString(), k.get("role").asString(),
                            k.get("secret_prefix").asString() + "…", k.has("revoked_at") ? "revoked" : "active",
                            k.get("name").asString());
                }
                System.out.println(json(data));
                return 0;
            }
            List<ApiKey> keys = db.withStore(ApiKeyStore::list);
            for (ApiKey k : keys) {
                System.out.printf("%-20s %-6s %-13s %-8s %s%n", k.id(), k.role().id(), k.secretPrefix() + "…",
                        k.revoked() ? "revoked" : "active", k.name());
            }
            System.out.println(json(keys.stream().map(KeysCommand::summary).toList()));
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a key: requests with it get 401 from the next server start (at once with --url).")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        Database db;

        @Parameters(paramLabel = "ID", description = "The key's id (key_…).")
        String id;

        @Override
        public Integer call() {
            AdminApiClient remote = db.remote();
            if (remote != null) {
                remote.delete("/v1/admin/keys/" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8));
            } else if (!db.withStore(store -> store.revoke(id))) {
                throw new IllegalArgumentException("no API key with id '" + id + "' (see 'llmp keys list')");
            }
            System.out.println(json(Map.of("id", id, "revoked", true)));
            return 0;
        }
    }
}
