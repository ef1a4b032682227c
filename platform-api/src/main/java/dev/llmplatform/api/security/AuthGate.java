package dev.llmplatform.api.security;

import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether authentication is on, and who a secret belongs to. Auth is on when it is required (configured,
 * non-loopback binding or {@code LLMP_ADMIN_KEY} set) or any unrevoked key exists — so creating the first
 * key on a loopback server turns it on, and revoking the last one turns it off again.
 */
public final class AuthGate {
    /** The principal of the {@code LLMP_ADMIN_KEY} bootstrap key, which is not stored in the database. */
    public static final KeyPrincipal ENV_ADMIN =
            new KeyPrincipal("env-admin", "LLMP_ADMIN_KEY", Role.ADMIN, Set.of(), Set.of(), null, null, null);

    private final ApiKeyStore store;
    private final byte[] envAdminKeyHash;
    private final boolean required;
    private final AtomicBoolean storedKeysExist = new AtomicBoolean();

    /**
     * @param envAdminKey the bootstrap admin secret, or null
     * @param required    auth stays on even when no key exists
     */
    public AuthGate(ApiKeyStore store, String envAdminKey, boolean required) {
        this.store = store;
        this.envAdminKeyHash = envAdminKey == null ? null : ApiKeySecrets.digest(envAdminKey);
        this.required = required || envAdminKey != null;
        keysChanged();
    }

    public boolean enabled() {
        return required || storedKeysExist.get();
    }

    /** Call after creating or revoking keys. */
    public void keysChanged() {
        storedKeysExist.set(store.hasActiveKeys());
    }

    /** The principal of an unrevoked key with this secret. */
    public Optional<KeyPrincipal> authenticate(String secret) {
        // Compare digests in constant time, so response timing says nothing about the bootstrap key.
        if (envAdminKeyHash != null && MessageDigest.isEqual(envAdminKeyHash, ApiKeySecrets.digest(secret))) {
            return Optional.of(ENV_ADMIN);
        }
        return store.findActiveBySecret(secret).map(ApiKey::principal);
    }
}
