package dev.llmplatform.api.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Talks to a Hugging Face hub (or anything that answers like one, e.g. a mirror named by
 * {@code HF_ENDPOINT}): lists a model repository's files and opens file downloads.
 *
 * <p>{@link HttpURLConnection} rather than {@code java.net.http.HttpClient} because it has a read
 * timeout on the body: a stalled CDN connection fails after {@code readTimeout} instead of hanging the
 * pull forever. Redirects are followed by hand so that (a) the hub's {@code X-Linked-Etag} /
 * {@code X-Linked-Size} headers on the redirect itself are read, and (b) the token is sent only to the
 * hub, never to the CDN host it redirects to (its URLs are pre-signed).
 */
public final class HubClient {
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    private static final int MAX_REDIRECTS = 10;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private final URI endpoint;
    private final String token;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final ObjectMapper json = new ObjectMapper();

    public HubClient(URI endpoint, String token, Duration connectTimeout, Duration readTimeout) {
        String base = endpoint.toString();
        this.endpoint = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        if (this.endpoint.getScheme() == null || !this.endpoint.getScheme().matches("https?") || this.endpoint.getHost() == null) {
            throw new IllegalArgumentException("hub endpoint must be an http(s) URL, got '" + endpoint + "'");
        }
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    /**
     * A client for {@code configuredEndpoint} (a property or option; null or blank: {@code HF_ENDPOINT},
     * else {@value #DEFAULT_ENDPOINT}) with {@code configuredToken} (null or blank: {@code HF_TOKEN}).
     */
    public static HubClient fromEnvironment(String configuredEndpoint, String configuredToken) {
        String endpoint = firstNonBlank(configuredEndpoint, System.getenv("HF_ENDPOINT"), DEFAULT_ENDPOINT);
        String token = firstNonBlank(configuredToken, System.getenv("HF_TOKEN"), null);
        return new HubClient(URI.create(endpoint), token, Duration.ofSeconds(15), Duration.ofSeconds(60));
    }

    private static String firstNonBlank(String a, String b, String fallback) {
        if (a != null && !a.isBlank()) {
            return a.strip();
        }
        if (b != null && !b.isBlank()) {
            return b.strip();
        }
        return fallback;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The repository's file paths, from {@code GET /api/models/{repo}} ({@code siblings[].rfilename}). */
    public List<String> listFiles(String repo) {
        URI uri = URI.create(endpoint + "/api/models/" + repo);
        try (Response r = get(uri, 0, repo, null)) {
            if (r.status != 200) {
                throw unexpected(r, repo + ": listing its files");
            }
            JsonNode root;
            try (InputStream in = r.body()) {
                root = json.readTree(in);
            }
            JsonNode siblings = root.get("siblings");
            if (siblings == null || !siblings.isArray()) {
                throw new HubException(HubException.Kind.TRANSFER, repo + ": the hub's answer at " + uri
                        + " has no 'siblings' file list; is " + endpoint + " a Hugging Face hub?");
            }
            List<String> files = new ArrayList<>();
            for (JsonNode s : siblings) {
                JsonNode name = s.get("rfilename");
                if (name != null && name.isString()) {
                    files.add(name.asString());
                }
            }
            return files;
        } catch (IOException | UncheckedIOException | tools.jackson.core.JacksonException e) {
            throw new HubException(HubException.Kind.TRANSFER, repo + ": cannot list files at " + uri + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts downloading {@code file} of {@code repo} from byte {@code offset} ({@code Range} request when
     * positive). The caller reads {@link Download#body()} and closes the download.
     */
    public Download open(String repo, String file, long offset) throws IOException {
        URI uri = URI.create(endpoint + "/" + repo + "/resolve/main/" + encodePath(file));
        Response r = get(uri, offset, repo, file);
        try {
            if (r.status != 200 && r.status != 206 && r.status != 416) {
                throw unexpected(r, repo + "/" + file);
            }
            long total = r.linkedSize;
            long start = 0;
            if (r.status == 206) {
                Matcher m = CONTENT_RANGE.matcher(Objects.requireNonNullElse(r.connection.getHeaderField("Content-Range"), ""));
                if (!m.matches()) {
                    throw new HubException(HubException.Kind.TRANSFER, repo + "/" + file
                            + ": partial answer without a valid Content-Range header");
                }
                start = Long.parseLong(m.group(1));
                if (total < 0 && !m.group(3).equals("*")) {
                    total = Long.parseLong(m.group(3));
                }
            } else if (r.status == 200 && total < 0) {
                total = r.connection.getContentLengthLong();
            } else if (r.status == 416 && total < 0) {
                Matcher m = Pattern.compile("bytes \\*/(\\d+)").matcher(Objects.requireNonNullElse(r.connection.getHeaderField("Content-Range"), ""));
                if (m.matches()) {
                    total = Long.parseLong(m.group(1));
                }
            }
            return new Download(r, r.status, start, total, r.sha256);
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    /** An open download: the body from {@link #start()} onwards, and what the hub said about the file. */
    public static final class Download implements AutoCloseable {
        private final Response response;
        private final int status;
        private final long start;
        private final long totalSize;
        private final String sha256;

        private Download(Response response, int status, long start, long totalSize, String sha256) {
            this.response = response;
            this.status = status;
            this.start = start;
            this.totalSize = totalSize;
            this.sha256 = sha256;
        }

        /** 200 (whole file), 206 (from {@link #start()}) or 416 (the offset is at or past the end). */
        public int status() {
            return status;
        }

        public long start() {
            return start;
        }

        /** The whole file's size, or -1 when the hub did not say. */
        public long totalSize() {
            return totalSize;
        }

        /** The sha256 the hub reports for an LFS file (lower-case hex), or null. */
        public String sha256() {
            return sha256;
        }

        public InputStream body() throws IOException {
            return response.body();
        }

        @Override
        public void close() {
            response.close();
        }
    }

    /** One answered GET after redirects, with what the hub's own hops said about an LFS file. */
    private static final class Response implements AutoCloseable {
        final HttpURLConnection connection;
        final int status;
        final String sha256;
        final long linkedSize;

        Response(HttpURLConnection connection, int status, String sha256, long linkedSize) {
            this.connection = connection;
            this.status = status;
            this.sha256 = sha256;
            this.linkedSize = linkedSize;
        }

        InputStream body() throws IOException {
            return connection.getInputStream();
        }

        @Override
        public void close() {
            connection.disconnect();
        }
    }

    private Response get(URI start, long offset, String repo, String file) {
        URI uri = start;
        String sha256 = null;
        long linkedSize = -1;
        try {
            for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
                HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
                c.setInstanceFollowRedirects(false);
                c.setConnectTimeout((int) connectTimeout.toMillis());
                c.setReadTimeout((int) readTimeout.toMillis());
                c.setRequestProperty("User-Agent", "llmp");
                c.setRequestProperty("Accept-Encoding", "identity");
                boolean hub = sameOrigin(uri, endpoint);
                if (hub && token != null) {
                    c.setRequestProperty("Authorization", "Bearer " + token);
                }
                if (offset > 0) {
                    c.setRequestProperty("Range", "bytes=" + offset + "-");
                }
                int status = c.getResponseCode();
                if (hub) {
                    // The hub itself (not the CDN) vouches for the content: X-Linked-Etag on LFS files.
                    String etag = normalizeEtag(c.getHeaderField("X-Linked-Etag"));
                    if (etag == null) {
                        etag = normalizeEtag(c.getHeaderField("ETag"));
                    }
                    if (etag != null && SHA256.matcher(etag).matches()) {
                        sha256 = etag;
                    }
                    long size = parseLong(c.getHeaderField("X-Linked-Size"));
                    if (size >= 0) {
                        linkedSize = size;
                    }
                }
                if (status >= 300 && status < 400 && status != 304) {
                    String location = c.getHeaderField("Location");
                    c.disconnect();
                    if (location == null) {
                        throw new HubException(HubException.Kind.TRANSFER, uri + " answered " + status + " without a Location");
                    }
                    uri = uri.resolve(location);
                    continue;
                }
                if (status == 401 || status == 403 || status == 404) {
                    HubException e = accessError(status, c, repo, file);
                    c.disconnect();
                    throw e;
                }
                return new Response(c, status, sha256, linkedSize);
            }
            throw new HubException(HubException.Kind.TRANSFER, start + ": more than " + MAX_REDIRECTS + " redirects");
        } catch (IOException e) {
            throw new HubException(HubException.Kind.TRANSFER, "cannot reach " + uri.getScheme() + "://" + uri.getAuthority()
                    + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
    }

    private HubException accessError(int status, HttpURLConnection c, String repo, String file) {
        String code = Objects.requireNonNullElse(c.getHeaderField("X-Error-Code"), "");
        String what = file == null ? "repository " + repo : file + " in " + repo;
        return switch (status) {
            case 401 -> new HubException(HubException.Kind.UNAUTHORIZED, "the hub refused " + what + " (401 Unauthorized): "
                    + (token == null ? "it is private or gated, or does not exist; if you have access, set HF_TOKEN to a Hugging Face access token"
                            : "HF_TOKEN was sent but not accepted; check the token, or the repository does not exist"));
            case 403 -> new HubException(HubException.Kind.FORBIDDEN, "the hub refused " + what + " (403 Forbidden): "
                    + (code.equals("GatedRepo") || token != null
                            ? "the repository is gated; accept its terms at " + endpoint + "/" + repo + " with the account whose token is in HF_TOKEN"
                            : "set HF_TOKEN to a token with access to it"));
            default -> new HubException(HubException.Kind.NOT_FOUND, (code.equals("RepoNotFound") || file == null
                    ? "repository " + repo + " was not found on " + endpoint
                    : "file " + file + " was not found in " + repo) + " (404)");
        };
    }

    private static HubException unexpected(Response r, String what) {
        r.close();
        return new HubException(HubException.Kind.TRANSFER, what + ": the hub answered HTTP " + r.status
                + (r.status >= 500 ? " (a server error; try again later)" : ""));
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && effectivePort(a) == effectivePort(b);
    }

    private static int effectivePort(URI u) {
        return u.getPort() >= 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** {@code W/"abc"} → {@code abc}, lower-cased; null stays null. */
    static String normalizeEtag(String etag) {
        if (etag == null || etag.isBlank()) {
            return null;
        }
        String e = etag.strip();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return e.toLowerCase(Locale.ROOT);
    }

    private static long parseLong(String s) {
        if (s == null) {
            return -1;
        }
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String encodePath(String file) {
        StringBuilder sb = new StringBuilder();
        for (String segment : file.split("/")) {
            if (!sb.isEmpty()) {
                sb.append('/');
            }
            sb.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return sb.toString();
    }
}
