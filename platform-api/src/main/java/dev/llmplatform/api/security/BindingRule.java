package dev.llmplatform.api.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Secure by default: a server reachable from other machines must have keys. On loopback without keys
 * authentication is off; on any other address (or all addresses) without keys the server refuses to start.
 */
public final class BindingRule {
    private BindingRule() {}

    /** Whether {@code server.address} (null or blank = every interface) is a loopback address. */
    public static boolean isLoopback(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        try {
            return InetAddress.getByName(address.trim()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The one-line reason to refuse starting, or empty when starting is safe. */
    public static Optional<String> refusal(String address, boolean keysConfigured) {
        if (keysConfigured || isLoopback(address)) {
            return Optional.empty();
        }
        String where = address == null || address.isBlank() ? "all network interfaces" : address.trim();
        return Optional.of("refusing to listen on " + where + " without API keys: set LLMP_ADMIN_KEY, create a key "
                + "with 'llmp keys create', set llmp.auth.required=true to generate an admin key, or bind to 127.0.0.1");
    }
}
