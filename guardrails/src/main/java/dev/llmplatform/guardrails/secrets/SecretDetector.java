package dev.llmplatform.guardrails.secrets;

import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.Detector;
import dev.llmplatform.guardrails.Finding;
import dev.llmplatform.guardrails.Findings;
import dev.llmplatform.guardrails.text.FirstChars;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;
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
    /** {@code firstChars}: the characters a match can begin with (the scan tries the pattern only there). */
    record Rule(String category, String name, Pattern pattern, FirstChars firstChars, boolean valueGroup, double score) {
    }

    static final List<Rule> RULES = List.of(
            rule(Category.AWS_ACCESS_KEY, "aws-access-key", "\\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\\b", FirstChars.ascii("A"), 0.95),
            rule(Category.AWS_SECRET_KEY, "aws-secret-key",
                    "(?i)aws_?secret_?access_?key[\"']?\\s*[:=]\\s*[\"']?(?<v>[A-Za-z0-9/+=]{40})", FirstChars.ascii("aA"), 0.95),
            rule(Category.GITHUB_TOKEN, "github", "\\b(?:gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{20,255})", FirstChars.ascii("g"), 0.95),
            rule(Category.SLACK_TOKEN, "slack", "\\bxox[abposr]-[A-Za-z0-9-]{10,}|https://hooks\\.slack\\.com/services/[A-Za-z0-9/_-]+", FirstChars.ascii("hx"), 0.95),
            rule(Category.STRIPE_KEY, "stripe", "\\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}", FirstChars.ascii("rs"), 0.95),
            rule(Category.GOOGLE_API_KEY, "google", "\\bAIza[0-9A-Za-z_-]{20,}", FirstChars.ascii("A"), 0.95),
            rule(Category.OPENAI_API_KEY, "openai", "\\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}", FirstChars.ascii("s"), 0.9),
            rule(Category.PRIVATE_KEY, "private-key",
                    "-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:[\\s\\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|[A-Za-z0-9+/=\\s:-]*)", FirstChars.ascii("-"), 0.99),
            rule(Category.JWT, "jwt", "\\beyJ[A-Za-z0-9_-]{8,}\\.(?:eyJ)?[A-Za-z0-9_-]*(?:\\.[A-Za-z0-9_-]*)?", FirstChars.ascii("e"), 0.9),
            rule(Category.CONNECTION_STRING, "connection-string",
                    "\\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}://[^\\s:/@\"']+:(?<v>[^\\s@/\"']+)@[^\\s/\"']+", FirstChars.ascii("A-Za-z"), 0.9),
            rule(Category.CONNECTION_STRING, "connection-string-kv",
                    "(?i)\\b(?:server|host|data source|uid|user id)\\s*=[^;]*;(?:[^;]*;)*?\\s*(?:password|pwd)\\s*=\\s*(?<v>[^;\\s\"']{4,})", FirstChars.ascii("dDhHsSuU"), 0.85),
            rule(Category.CREDENTIAL, "assignment",
                    "(?i)\\b(?:password|passwd|passphrase|secret|api[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret)\\b[\"']?\\s*[:=]\\s*[\"']?(?<v>[^\\s\"',;]{8,})", FirstChars.ascii("aAcCpPsS"), 0.8));

    /**
     * Candidates for the entropy check: maximal runs of at least {@value #MIN_TOKEN} of these characters (what
     * {@code [A-Za-z0-9+/_=.-]{24,}} finds, without trying the expression at each position inside every word).
     */
    private static final int MIN_TOKEN = 24;
    private static final double ENTROPY_BITS_PER_CHAR = 4.0;

    private static Rule rule(String category, String name, String regex, FirstChars firstChars, double score) {
        return new Rule(category, name, Pattern.compile(regex), firstChars, regex.contains("(?<v>"), score);
    }

    @Override
    public List<Finding> detect(String text) {
        List<Finding> found = new ArrayList<>();
        for (Rule r : RULES) {
            FirstChars.Scan scan = r.firstChars.scan(r.pattern, text);
            while (scan.find()) {
                MatchResult m = scan.match();
                int s = r.valueGroup ? m.start("v") : m.start();
                int e = r.valueGroup ? m.end("v") : m.end();
                found.add(new Finding(r.category, s, e, r.score, "secrets:" + r.name));
            }
        }
        for (int[] run : tokenRuns(text)) {
            int s = run[0];
            int e = run[1];
            if (found.stream().anyMatch(f -> f.start() < e && s < f.end())) {
                continue;
            }
            String token = text.substring(s, e);
            if (looksRandom(token)) {
                found.add(new Finding(Category.HIGH_ENTROPY_SECRET, s, e, 0.6, "secrets:entropy"));
            }
        }
        return Findings.resolveOverlaps(found);
    }

    private static boolean tokenChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "+/_=.-".indexOf(c) >= 0;
    }

    /** [start, end) of each maximal run of at least {@value #MIN_TOKEN} token characters, in order. */
    static List<int[]> tokenRuns(String text) {
        List<int[]> runs = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            if (!tokenChar(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < text.length() && tokenChar(text.charAt(i))) {
                i++;
            }
            if (i - start >= MIN_TOKEN) {
                runs.add(new int[] {start, i});
            }
        }
        return runs;
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
