package dev.llmplatform.api.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Generates API key secrets and the hashes we store instead of them.
 *
 * <p>A secret carries 256 random bits, so a plain SHA-256 of it cannot be reversed by guessing: slow
 * password hashes (bcrypt, Argon2) exist to protect low-entropy human passwords and would cost every
 * request milliseconds. A fast, unsalted hash also lets the database find a key by an indexed equality
 * lookup, without scanning and re-hashing every stored key.
 */
public final class ApiKeySecrets {
    /** Every secret starts with this, so leaked keys are recognisable (secret scanners, logs). */
    public static final String PREFIX = "llmp-";
    /** How many leading characters of a secret listings show, to tell keys apart. */
    public static final int SHOWN_PREFIX_LENGTH = 12;

    private final SecureRandom random;

    public ApiKeySecrets(SecureRandom random) {
        this.random = random;
    }

    /** A new secret: the prefix and 32 random bytes in URL-safe base64. */
    public String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A new key id (not secret): {@code key_} and 16 hex digits. */
    public String newId() {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return "key_" + HexFormat.of().formatHex(bytes);
    }

    /** The lower-case hex SHA-256 of a secret's UTF-8 bytes: what the database stores. */
    public static String hash(String secret) {
        return HexFormat.of().formatHex(digest(secret));
    }

    /** The SHA-256 of a secret's UTF-8 bytes. */
    public static byte[] digest(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The part of a secret listings may show. */
    public static String shownPrefix(String secret) {
        return secret.substring(0, Math.min(SHOWN_PREFIX_LENGTH, secret.length()));
    }
}
