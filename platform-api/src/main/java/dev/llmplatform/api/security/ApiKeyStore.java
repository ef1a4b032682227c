package dev.llmplatform.api.security;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * API keys in the state database ({@code api_keys}, {@code api_key_scopes}): create, list, revoke, and
 * the per-request lookup by secret. Used by the server (as a bean) and by {@code llmp keys} directly.
 */
public final class ApiKeyStore {
    private static final String COLUMNS = "id, name, secret_prefix, role, policy, requests_per_minute, "
            + "tokens_per_minute, created_at, revoked_at, last_used_at, prompt_tokens, completion_tokens";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ApiKeySecrets secrets;
    private final Clock clock;

    public ApiKeyStore(DataSource dataSource, ApiKeySecrets secrets, Clock clock) {
        this.jdbc = JdbcClient.create(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.secrets = secrets;
        this.clock = clock;
    }

    /** Stores a new key and returns it with its secret, which is not kept anywhere. */
    public CreatedKey create(NewKey spec) {
        spec.validate();
        String secret = secrets.newSecret();
        String id = secrets.newId();
        OffsetDateTime now = now();
        transactions.executeWithoutResult(status -> {
            jdbc.sql("INSERT INTO api_keys (id, name, secret_hash, secret_prefix, role, policy, requests_per_minute, "
                            + "tokens_per_minute, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(id, spec.name().trim(), ApiKeySecrets.hash(secret), ApiKeySecrets.shownPrefix(secret),
                            spec.role().id(), spec.policy(), spec.requestsPerMinute(), spec.tokensPerMinute(), now)
                    .update();
            insertScopes(id, "model", spec.allowedModels());
            insertScopes(id, "collection", spec.allowedCollections());
        });
        return new CreatedKey(find(id).orElseThrow(), secret);
    }

    private void insertScopes(String id, String kind, List<String> names) {
        for (String name : names.stream().map(String::trim).distinct().toList()) {
            jdbc.sql("INSERT INTO api_key_scopes (key_id, kind, name) VALUES (?, ?, ?)").params(id, kind, name).update();
        }
    }

    /** Every key, revoked ones included, oldest first. */
    public List<ApiKey> list() {
        Map<String, Scopes> scopes = new HashMap<>();
        jdbc.sql("SELECT key_id, kind, name FROM api_key_scopes ORDER BY name").query((ResultSet rs) -> {
            scopes.computeIfAbsent(rs.getString("key_id"), k -> new Scopes()).add(rs.getString("kind"), rs.getString("name"));
        });
        return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at, id")
                .query((rs, n) -> {
                    Scopes s = scopes.getOrDefault(rs.getString("id"), new Scopes());
                    return toKey(rs, s.models, s.collections);
                })
                .list();
    }

    /** A key's scope rows, by kind. */
    private static final class Scopes {
        final List<String> models = new ArrayList<>();
        final List<String> collections = new ArrayList<>();

        void add(String kind, String name) {
            (kind.equals("model") ? models : collections).add(name);
        }
    }

    public Optional<ApiKey> find(String id) {
        return load("id = ?", id);
    }

    /** The unrevoked key whose secret this is, if any: one indexed lookup by the secret's hash. */
    public Optional<ApiKey> findActiveBySecret(String secret) {
        return load("secret_hash = ? AND revoked_at IS NULL", ApiKeySecrets.hash(secret));
    }

    private Optional<ApiKey> load(String where, String param) {
        // Scopes are read after the key's row, not inside its row callback, so one connection suffices.
        return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys WHERE " + where).param(param)
                .query((rs, n) -> toKey(rs, List.of(), List.of())).optional()
                .map(key -> {
                    Scopes s = new Scopes();
                    jdbc.sql("SELECT kind, name FROM api_key_scopes WHERE key_id = ? ORDER BY name").param(key.id())
                            .query((ResultSet rs) -> {
                                s.add(rs.getString("kind"), rs.getString("name"));
                            });
                    return key.withScopes(s.models, s.collections);
                });
    }

    /** Revokes a key; false when no such key exists. Revoking twice keeps the first revocation time. */
    public boolean revoke(String id) {
        if (find(id).isEmpty()) {
            return false;
        }
        jdbc.sql("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").params(now(), id).update();
        return true;
    }

    /**
     * Replaces a key's scopes, policy and limits with {@code settings}' (validated as at creation; its
     * name and role are ignored). False when no such key exists.
     */
    public boolean updateSettings(String id, NewKey settings) {
        settings.validate();
        return Boolean.TRUE.equals(transactions.execute(status -> {
            int rows = jdbc.sql("UPDATE api_keys SET policy = ?, requests_per_minute = ?, tokens_per_minute = ? WHERE id = ?")
                    .params(settings.policy(), settings.requestsPerMinute(), settings.tokensPerMinute(), id).update();
            if (rows == 0) {
                return false;
            }
            jdbc.sql("DELETE FROM api_key_scopes WHERE key_id = ?").param(id).update();
            insertScopes(id, "model", settings.allowedModels());
            insertScopes(id, "collection", settings.allowedCollections());
            return true;
        }));
    }

    public boolean hasActiveKeys() {
        return jdbc.sql("SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL").query(Long.class).single() > 0;
    }

    public boolean hasActiveAdminKey() {
        return jdbc.sql("SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL AND role = 'admin'")
                .query(Long.class).single() > 0;
    }

    /** Adds a request's token counts to the key's totals and marks it used now. */
    public void recordUsage(String id, int promptTokens, int completionTokens) {
        jdbc.sql("UPDATE api_keys SET prompt_tokens = prompt_tokens + ?, completion_tokens = completion_tokens + ?, "
                        + "last_used_at = ? WHERE id = ?")
                .params(promptTokens, completionTokens, now(), id).update();
    }

    private static ApiKey toKey(ResultSet rs, List<String> models, List<String> collections) throws SQLException {
        return new ApiKey(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("secret_prefix"),
                Role.parse(rs.getString("role")),
                models,
                collections,
                rs.getString("policy"),
                (Integer) rs.getObject("requests_per_minute", Integer.class),
                (Integer) rs.getObject("tokens_per_minute", Integer.class),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("revoked_at", OffsetDateTime.class),
                rs.getObject("last_used_at", OffsetDateTime.class),
                rs.getLong("prompt_tokens"),
                rs.getLong("completion_tokens"));
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
