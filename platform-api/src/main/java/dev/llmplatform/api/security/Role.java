package dev.llmplatform.api.security;

import java.util.Locale;

/** What a key may do: {@code admin} everything, {@code user} inference (optionally limited to models/collections). */
public enum Role {
    ADMIN, USER;

    /** The name stored in the database and shown in the API. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String text) {
        for (Role r : values()) {
            if (r.id().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return r;
            }
        }
        throw new InvalidKeyException("role", "must be 'admin' or 'user' (got '" + text + "')");
    }
}
