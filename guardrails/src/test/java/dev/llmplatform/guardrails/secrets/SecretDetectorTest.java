package dev.llmplatform.guardrails.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.Finding;
import dev.llmplatform.guardrails.text.FirstCharsChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /** One of each kind of secret, in prose and at the very start and end of a text. */
    private static final List<String> SECRETS = List.of("key AKIAIOSFODNN7EXAMPLE here", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEYab",
            "token ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8", "github_pat_" + "11ABCDEFG0123456789_abcdefghijkl",
            "xoxb-123456789012-abcdefABCDEF", "post to https://hooks.slack.com/services/T000/B000/XXXX", "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc",
            "rk_test_" + "4eC39HqLyjWDarjtT1zdp7dc.", "AIza" + "SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY", "OPENAI=sk-proj-" + "abcdEFGH1234ijklMNOP5678qrst",
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
            "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            "postgres://admin:s3cr3tPass@db.internal:5432/app", "Server=db;Database=app;User Id=sa;Password=Pa55word!;",
            "password = hunter2hunter2", "client_secret: 'abcd1234efgh5678'", "token: Zx8Qm2Lp9Rt4Vw7Ky1Nb6Hc3Jd5Fg0Ts",
            "commit 3f786850e387550fdab836ed7e6dc881de23001b and internationalization-and-localization-guidelines, the sk- prefix");

    @Test
    void statedFirstCharactersLoseNoMatch() {
        List<String> texts = new ArrayList<>(FirstCharsChecks.withCaseVariants(SECRETS));
        texts.add(String.join(" ", SECRETS));
        texts.add(String.join("", SECRETS));
        for (SecretDetector.Rule r : SecretDetector.RULES) {
            assertThat(FirstCharsChecks.assertScanFindsWhatFindFinds(r.name(), r.pattern(), r.firstChars(), texts)).as(r.name()).isPositive();
        }
    }

    @Test
    void tokenRunsAreWhatTheTokenExpressionFinds() {
        Pattern token = Pattern.compile("[A-Za-z0-9+/_=.-]{24,}");
        List<String> texts = new ArrayList<>(SECRETS);
        texts.add(String.join("", SECRETS));
        texts.add("x".repeat(23) + " " + "y".repeat(24) + "!" + "z".repeat(25));
        int runs = 0;
        for (String text : texts) {
            List<String> expected = new ArrayList<>();
            Matcher m = token.matcher(text);
            while (m.find()) {
                expected.add(m.start() + "-" + m.end());
            }
            assertThat(SecretDetector.tokenRuns(text).stream().map(r -> r[0] + "-" + r[1]).toList()).as(text).isEqualTo(expected);
            runs += expected.size();
        }
        assertThat(runs).isGreaterThan(10);
    }
}
