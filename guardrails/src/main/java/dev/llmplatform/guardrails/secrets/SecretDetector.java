package dev.llmplatform.guardrails.secrets;

import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.Detector;
import dev.llmplatform.guardrails.Finding;
import dev.llmplatform.guardrails.Findings;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Credentials by the documented shapes of well-known providers' keys, private-key blocks, JWTs,
 * connection strings and password assignments, then a high-entropy fallback for unknown tokens.
 *
 * <p>Every provider pattern recognises its distinctive prefix within a few dozen characters and then
 * extends greedily over the rest of the token, so a streaming rail with a short look-behind buffer sees
 * the secret start before its first character would be released.
 */
public final class SecretDetector implements Detector {
    private record Rule(String category, String name, Pattern pattern, double score) {
    }

    private static final List<Rule> RULES = List.of(
            rule(Category.AWS_ACCESS_KEY, "aws-access-key", "\\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\\b", 0.95),
            rule(Category.AWS_SECRET_KEY, "aws-secret-key",
                    "(?i)aws_?secret_?access_?key[\"']?\\s*[:=]\\s*[\"']?(?<v>[A-Za-z0-9/+=]{40})", 0.95),
            rule(Category.GITHUB_TOKEN, "github", "\\b(?:gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{20,255})", 0.95),
            rule(Category.SLACK_TOKEN, "slack", "\\bxox[abposr]-[A-Za-z0-9-]{10,}|https://hooks\\.slack\\.com/services/[A-Za-z0-9/_-]+", 0.95),
            rule(Category.STRIPE_KEY, "stripe", "\\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}", 0.95),
            rule(Category.GOOGLE_API_KEY, "google", "\\bAIza[0-9A-Za-z_-]{20,}", 0.95),
            rule(Category.OPENAI_API_KEY, "openai", "\\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}", 0.9),
            rule(Category.PRIVATE_KEY, "private-key",
                    "-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:[\\s\\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|[A-Za-z0-9+/=\\s:-]*)", 0.99),
            rule(Category.JWT, "jwt", "\\beyJ[A-Za-z0-9_-]{8,}\\.(?:eyJ)?[A-Za-z0-9_-]*(?:\\.[A-Za-z0-9_-]*)?", 0.9),
            rule(Category.CONNECTION_STRING, "connection-string",
                    "\\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}://[^\\s:/@\"']+:(?<v>[^\\s@/\"']+)@[^\\s/\"']+", 0.9),
            rule(Category.CONNECTION_STRING, "connection-string-kv",
                    "(?i)\\b(?:server|host|data source|uid|user id)\\s*=[^;]*;(?:[^;]*;)*?\\s*(?:password|pwd)\\s*=\\s*(?<v>[^;\\s\"']{4,})", 0.85),
            rule(Category.CREDENTIAL, "assignment",
                    "(?i)\\b(?:password|passwd|passphrase|secret|api[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret)\\b[\"']?\\s*[:=]\\s*[\"']?(?<v>[^\\s\"',;]{8,})", 0.8));

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9+/_=.-]{24,}");
    private static final double ENTROPY_BITS_PER_CHAR = 4.0;

    private static Rule rule(String category, String name, String regex, double score) {
        return new Rule(category, name, Pattern.compile(regex), score);
    }

    @Override
    public List<Finding> detect(String text) {
        List<Finding> found = new ArrayList<>();
        for (Rule r : RULES) {
            Matcher m = r.pattern.matcher(text);
            boolean group = r.pattern.pattern().contains("(?<v>");
            while (m.find()) {
                int s = group ? m.start("v") : m.start();
                int e = group ? m.end("v") : m.end();
                found.add(new Finding(r.category, s, e, r.score, "secrets:" + r.name));
            }
        }
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            int s = m.start();
            int e = m.end();
            if (found.stream().anyMatch(f -> f.start() < e && s < f.end())) {
                continue;
            }
            String token = m.group();
            if (looksRandom(token)) {
                found.add(new Finding(Category.HIGH_ENTROPY_SECRET, s, e, 0.6, "secrets:entropy"));
            }
        }
        return Findings.resolveOverlaps(found);
    }

    /**
     * A random token mixes upper case, lower case and digits and has high per-character entropy; words,
     * paths, hex digests (at most 4 bits per character) and base64 of ordinary text mostly do not.
     */
    static boolean looksRandom(String token) {
        boolean upper = false;
        boolean lower = false;
        boolean digit = false;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            upper |= Character.isUpperCase(c);
            lower |= Character.isLowerCase(c);
            digit |= Character.isDigit(c);
        }
        return upper && lower && digit && shannonEntropy(token) >= ENTROPY_BITS_PER_CHAR;
    }

    static double shannonEntropy(String s) {
        int[] counts = new int[128];
        int other = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 128) {
                counts[c]++;
            } else {
                other++;
            }
        }
        double h = 0;
        for (int c : counts) {
            if (c > 0) {
                double p = (double) c / s.length();
                h -= p * Math.log(p) / Math.log(2);
            }
        }
        if (other > 0) {
            double p = (double) other / s.length();
            h -= p * Math.log(p) / Math.log(2);
        }
        return h;
    }
}
