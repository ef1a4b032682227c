package dev.llmplatform.api.bench;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The one server a serving benchmark talks to. Built from the user's {@code --url}, which may name the
 * server's root ({@code http://host:port}) or its OpenAI base ({@code http://host:port/v1}); every request
 * the benchmark sends goes to this scheme, host and port, and nowhere else (redirects are not followed).
 */
public final class BenchmarkTarget {
    private final URI root;

    private BenchmarkTarget(URI root) {
        this.root = root;
    }

    /**
     * Parses and normalises a base URL.
     *
     * @throws IllegalArgumentException with a message fit for a user when the URL is not a plain http(s) URL
     */
    public static BenchmarkTarget parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("--url is empty");
        }
        String lower = url.strip().toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            throw new IllegalArgumentException("--url must start with http:// or https:// (got " + url + ")");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--url " + url + " is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("--url " + url + " has no host");
        }
        if (uri.getRawUserInfo() != null) {
            // Credentials in a URL end up in logs and error messages; the key has its own option.
            throw new IllegalArgumentException("--url must not contain credentials; use --api-key");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("--url must not have a query or fragment (got " + url + ")");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.endsWith("/v1")) {
            path = path.substring(0, path.length() - "/v1".length());
        }
        try {
            return new BenchmarkTarget(new URI(scheme, null, uri.getHost(), uri.getPort(), path.isEmpty() ? null : path,
                    null, null));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--url " + url + " is not a URL: " + e.getReason());
        }
    }

    /** The server's root, without a trailing slash or {@code /v1}. */
    public URI root() {
        return root;
    }

    /** {@code POST {root}/v1/chat/completions}. */
    public URI chatCompletions() {
        return resolve("/v1/chat/completions");
    }

    /** {@code POST {root}/tokenize}: llama.cpp server's tokenizer endpoint, used only to size prompts. */
    public URI tokenize() {
        return resolve("/tokenize");
    }

    private URI resolve(String suffix) {
        return URI.create(root.toString() + suffix);
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
