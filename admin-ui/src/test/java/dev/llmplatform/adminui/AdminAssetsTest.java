package dev.llmplatform.adminui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The console's assets are packaged where Spring Boot serves static content, reference each other (the
 * page its script and stylesheet, every ES module the modules it imports), load nothing from elsewhere,
 * and call only the platform's own API. What the pages do is tested in a real browser by platform-api's
 * {@code ConsoleBrowserIT}.
 */
class AdminAssetsTest {
    private static final String ROOT = "/META-INF/resources/admin/";

    private static String asset(String name) throws IOException {
        try (InputStream in = AdminAssetsTest.class.getResourceAsStream(ROOT + name)) {
            assertThat(in).as("asset %s on the classpath", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Every script module, as a path relative to the console root (js/main.js, js/views/keys.js, …). */
    private static List<String> modules() throws IOException, URISyntaxException {
        URL index = AdminAssetsTest.class.getResource(ROOT + "index.html");
        Path root = Path.of(index.toURI()).getParent();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".js")).map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
    }

    @Test
    void everyLocalAssetTheIndexReferencesIsPackaged() throws IOException {
        String index = asset("index.html");
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"#:]+)\"").matcher(index);
        int found = 0;
        while (m.find()) {
            asset(m.group(1));
            found++;
        }
        assertThat(found).isGreaterThanOrEqualTo(2);
        assertThat(index).contains("type=\"module\" src=\"js/main.js\"");
    }

    @Test
    void everyImportResolvesToAPackagedModule() throws Exception {
        List<String> modules = modules();
        assertThat(modules).contains("js/main.js", "js/api.js", "js/views/dashboard.js", "js/views/models.js",
                "js/views/collections.js", "js/views/guardrails.js", "js/views/keys.js", "js/views/playground.js");
        Pattern importFrom = Pattern.compile("^import .* from '([^']+)';$", Pattern.MULTILINE);
        for (String module : modules) {
            Matcher m = importFrom.matcher(asset(module));
            while (m.find()) {
                String target = Path.of(module).resolveSibling(m.group(1)).normalize().toString().replace('\\', '/');
                assertThat(modules).as("%s imports %s", module, m.group(1)).contains(target);
            }
        }
    }

    @Test
    void scriptsLoadNothingFromElsewhereAndCallOnlyThePlatformApi() throws Exception {
        Pattern endpoint = Pattern.compile("['`](/[a-z][a-z0-9_-]*/[a-z0-9/_${}.-]*)");
        int calls = 0;
        for (String module : modules()) {
            String js = asset(module);
            // the SVG namespace is a name, not something fetched
            assertThat(js.replace("'http://www.w3.org/2000/svg'", "")).as(module).doesNotContain("http://").doesNotContain("https://").doesNotContain("innerHTML");
            assertThat(js.lines().count()).as("%s stays small", module).isLessThan(400);
            Matcher m = endpoint.matcher(js);
            while (m.find()) {
                assertThat(m.group(1)).as(module).matches("/(v1|actuator)/.*");
                calls++;
            }
        }
        assertThat(calls).isGreaterThan(20);
        String all = String.join("\n", modules().stream().map(n -> {
            try {
                return asset(n);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList());
        assertThat(all).contains("/actuator/health", "/actuator/prometheus", "/v1/admin/keys", "/v1/admin/models/pull",
                "/v1/collections", "/v1/admin/guardrails/events", "/v1/chat/completions");
    }

    @Test
    void theAdminKeyStaysInSessionStorageAndHeaders() throws IOException {
        String api = asset("js/api.js");
        assertThat(api).contains("sessionStorage").doesNotContain("localStorage").contains("Authorization");
    }
}
