package dev.llmplatform.guardrails.pii;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.guardrails.eval.PiiEvaluation;
import dev.llmplatform.guardrails.text.FirstChars;
import dev.llmplatform.guardrails.text.FirstCharsChecks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The characters stated for each PII expression ({@link FirstChars}) must lose none of its matches: on both
 * development sets, generated sentences and a few texts for the rarer rules, each also in lower and upper case
 * and joined into long texts, the scan finds what {@code Matcher.find()} finds, for every expression that has
 * matches there (each must have some).
 */
class DeclaredFirstCharsTest {
    private static List<String> texts;

    @BeforeAll
    static void corpus() throws Exception {
        List<String> base = new ArrayList<>();
        for (String set : List.of("dev-set.json", "dev-set-2.json")) {
            for (PiiEvaluation.Sample s : PiiEvaluation.read(Path.of(DeclaredFirstCharsTest.class.getResource(set).toURI()))) {
                base.add(s.text());
            }
        }
        for (SyntheticPiiCorpus.Sentence s : new SyntheticPiiCorpus().generate(400, 11)) {
            base.add(s.text());
        }
        base.addAll(List.of("Server at fe80::1ff:fe23:4567:890a or 2001:db8::8a2e:370:7334, see www.example.org/x and https://a.b/c.",
                "Card 6011 0009 9013 9424, Maestro 6759649826438453, SSN 078-05-1120 and 078051120 (ssn), PO Box 1234.",
                "She is 42, aged 37, a 29-year-old; DL number D1234567 and driver's license A123-4567-8901.",
                "Ship to 12 Baker Street, Apt 4B, London; Königstraße 12, 70173 Stuttgart; zip code 94105; CA 94105.",
                "Meet on Monday 3 March 2024 at 10:30 am, in April, since 1998, born 12/05/1980 or 2024-01-31 09:15."));
        List<String> all = FirstCharsChecks.withCaseVariants(base);
        for (int i = 0; i + 6 < base.size(); i += 6) {
            all.add(String.join(" ", base.subList(i, i + 6)));
        }
        texts = all;
    }

    @Test
    void everyRuleOfThePiiDetectorFindsWhatFindFinds() {
        Map<String, Integer> matches = new TreeMap<>();
        for (Recognizer r : new PiiDetector(null).recognizers()) {
            if (r instanceof PatternRecognizer p) {
                matches.put(p.name(), FirstCharsChecks.assertScanFindsWhatFindFinds(p.name(), p.pattern(), p.firstChars(), texts));
            }
        }
        check(matches, "honorific", PersonRecognizer.HONORIFIC, PersonRecognizer.HONORIFIC_FIRST);
        check(matches, "introduction", PersonRecognizer.INTRODUCTION, PersonRecognizer.INTRODUCTION_FIRST);
        check(matches, "org-hyphenated", OrganizationRecognizer.HYPHENATED, OrganizationRecognizer.CAPITAL_NOT_AFTER_LETTER);
        check(matches, "org-partners", OrganizationRecognizer.PARTNERS, OrganizationRecognizer.CAPITAL_NOT_AFTER_LETTER);
        check(matches, "org-context", OrganizationRecognizer.CONTEXT, OrganizationRecognizer.CONTEXT_FIRST);
        assertThat(matches).hasSizeGreaterThanOrEqualTo(39);
        assertThat(matches).allSatisfy((name, count) -> assertThat(count).as(name).isPositive());
    }

    private static void check(Map<String, Integer> matches, String name, Pattern pattern, FirstChars first) {
        matches.put(name, FirstCharsChecks.assertScanFindsWhatFindFinds(name, pattern, first, texts));
    }
}
