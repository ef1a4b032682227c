package dev.llmplatform.guardrails.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretDetectorTest {
    private final SecretDetector detector = new SecretDetector();

    private List<String> categories(String text) {
        return detector.detect(text).stream().map(Finding::category).toList();
    }

    @Test
    void providerKeys() {
        assertThat(categories("key AKIAIOSFODNN7EXAMPLE here")).containsExactly(Category.AWS_ACCESS_KEY);
        assertThat(categories("token ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8")).containsExactly(Category.GITHUB_TOKEN);
        assertThat(categories("xoxb-123456789012-abcdefABCDEF")).containsExactly(Category.SLACK_TOKEN);
        assertThat(categories("sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc")).containsExactly(Category.STRIPE_KEY);
        assertThat(categories("AIza" + "SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY")).containsExactly(Category.GOOGLE_API_KEY);
        assertThat(categories("OPENAI=sk-proj-" + "abcdEFGH1234ijklMNOP5678qrst")).contains(Category.OPENAI_API_KEY);
    }

    @Test
    void structuredSecrets() {
        assertThat(categories("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"))
                .containsExactly(Category.PRIVATE_KEY);
        assertThat(categories("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"))
                .containsExactly(Category.JWT);
        String conn = "postgres://admin:s3cr3tPass@db.internal:5432/app";
        List<Finding> f = detector.detect(conn);
        assertThat(f).extracting(Finding::category).containsExactly(Category.CONNECTION_STRING);
        assertThat(conn.substring(f.getFirst().start(), f.getFirst().end())).isEqualTo("s3cr3tPass");
        assertThat(categories("password = hunter2hunter2")).containsExactly(Category.CREDENTIAL);
    }

    @Test
    void highEntropyFallbackButNotOrdinaryTokens() {
        assertThat(categories("token: Zx8Qm2Lp9Rt4Vw7Ky1Nb6Hc3Jd5Fg0Ts")).contains(Category.HIGH_ENTROPY_SECRET);
        assertThat(categories("commit 3f786850e387550fdab836ed7e6dc881de23001b")).isEmpty(); // hex: at most 4 bits/char
        assertThat(categories("internationalization-and-localization-guidelines")).isEmpty();
        assertThat(categories("the sk- prefix and AKIA alone are not keys")).isEmpty();
    }
}
