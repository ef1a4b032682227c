package dev.llmplatform.api.security;

/** A key just created: the only time its {@code secret} is known to anyone but the caller. */
public record CreatedKey(ApiKey key, String secret) {}
