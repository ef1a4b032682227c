package dev.llmplatform.api.bench;

import dev.llmplatform.api.PlatformApplication;
import dev.llmplatform.api.ratelimit.RateLimiter;
import dev.llmplatform.api.security.ApiKeyStore;
import dev.llmplatform.api.security.AuthGate;
import dev.llmplatform.api.security.KeyPrincipal;
import dev.llmplatform.api.security.NewKey;
import dev.llmplatform.api.security.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What authentication + rate limiting add to a request: {@code GET /v1/models} on one server with auth
 * off and on another with a stored user key (hash lookup in the state database, scopes, two buckets).
 * Not a JUnit test; run as described in docs/configuration.md. Arguments: [requests per round] [rounds].
 */
public final class AuthOverheadBenchmark {
    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path home = Files.createTempDirectory("llmp-bench");
        try (ConfigurableApplicationContext open = start(home.resolve("open"));
             ConfigurableApplicationContext secured = start(home.resolve("secured"), "--llmp.auth.required=true")) {
            String key = secured.getBean(ApiKeyStore.class)
                    .create(new NewKey("bench", Role.USER, null, null, null, 1_000_000_000, 1_000_000_000)).secret();
            // In process: exactly the work the two filters add (key lookup by hash + scopes, both buckets),
            // without the HTTP noise of a shared machine.
            AuthGate gate = secured.getBean(AuthGate.class);
            RateLimiter limiter = secured.getBean(RateLimiter.class);
            for (int round = 0; round < rounds; round++) {
                double[] ns = new double[requests * 5];
                for (int i = 0; i < ns.length; i++) {
                    long t0 = System.nanoTime();
                    KeyPrincipal p = gate.authenticate(key).orElseThrow();
                    if (limiter.admit(p).rejected()) {
                        throw new IllegalStateException("rate limited");
                    }
                    ns[i] = (System.nanoTime() - t0) / 1e6;
                }
                Arrays.sort(ns);
                System.out.printf(Locale.ROOT, "in-process round %d%s: authenticate + admit p50 %.3f ms p99 %.3f ms%n", round,
                        round == 0 ? " (warm-up)" : "", pct(ns, 50), pct(ns, 99));
            }
            HttpClient http = HttpClient.newHttpClient();
            for (int round = 0; round < rounds; round++) {
                // Alternate so that JIT warm-up and machine noise fall on both alike; round 0 is warm-up.
                double[] off = measure(http, url(open), null, requests);
                double[] on = measure(http, url(secured), key, requests);
                System.out.printf(Locale.ROOT, "round %d%s: auth off p50 %.3f ms p99 %.3f ms | auth+rate limit p50 %.3f ms p99 %.3f ms"
                                + " | added p50 %.3f ms p99 %.3f ms%n", round, round == 0 ? " (warm-up)" : "",
                        pct(off, 50), pct(off, 99), pct(on, 50), pct(on, 99), pct(on, 50) - pct(off, 50), pct(on, 99) - pct(off, 99));
            }
        }
    }

    private static ConfigurableApplicationContext start(Path home, String... extra) {
        String[] base = {"--server.port=0", "--server.address=127.0.0.1", "--llmp.home=" + home,
                "--logging.level.llmp.requests=warn", "--spring.main.log-startup-info=false"};
        String[] all = Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return PlatformApplication.start(all);
    }

    private static String url(ConfigurableApplicationContext app) {
        return "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort() + "/v1/models";
    }

    private static double[] measure(HttpClient http, String url, String key, int n) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        HttpRequest request = b.build();
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            ms[i] = (System.nanoTime() - t0) / 1e6;
            if (r.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
            }
        }
        Arrays.sort(ms);
        return ms;
    }

    private static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
