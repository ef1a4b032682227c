package dev.llmplatform.adminui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The console's assets are packaged where Spring Boot serves static content, and reference each other. */
class AdminAssetsTest {
    private static String asset(String name) throws IOException {
        try (InputStream in = AdminAssetsTest.class.getResourceAsStream("/META-INF/resources/admin/" + name)) {
            assertThat(in).as("asset %s on the classpath", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyLocalAssetTheIndexReferencesIsPackaged() throws IOException {
        String index = asset("index.html");
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"/:]+)\"").matcher(index);
        int found = 0;
        while (m.find()) {
            asset(m.group(1));
            found++;
        }
        assertThat(found).isGreaterThanOrEqualTo(2);
    }

    @Test
    void scriptTalksOnlyToDocumentedEndpoints() throws IOException {
        String js = asset("admin.js");
        Matcher m = Pattern.compile("'(/[a-z0-9/_-]+)'").matcher(js);
        while (m.find()) {
            assertThat(m.group(1)).matches("/(v1|actuator)/.*");
        }
        assertThat(js).contains("/actuator/health").contains("/v1/models");
    }
}
