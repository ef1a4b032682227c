package dev.llmplatform.guardrails.pii;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.Finding;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped tagger on sentences written here (none from an evaluation set), and the trainer's determinism. */
class PiiTaggerTest {
    private static final PiiTagger TAGGER = PiiTagger.bundled();
    private static final PiiDetector RULES = PiiDetector.rulesOnly();

    private static List<String> tagged(String text, String category) {
        return TAGGER.tag(text, RULES.ruleFindings(text)).stream().filter(f -> f.category().equals(category))
                .map(f -> text.substring(f.start(), f.end())).toList();
    }

    @Test
    void findsEntitiesTheContextGivesAway() {
        assertThat(tagged("Yesterday I had lunch with Dorvanta Quelling and her brother.", Category.PERSON))
                .containsExactly("Dorvanta Quelling");
        assertThat(tagged("Kind regards,\nBrunella Ostrov\nHead of Procurement", Category.PERSON)).containsExactly("Brunella Ostrov");
        assertThat(tagged("I work for Kelvarin Logistics as a driver.", Category.ORGANIZATION)).containsExactly("Kelvarin Logistics");
        assertThat(tagged("My driver's license number is D4821937.", Category.US_DRIVER_LICENSE)).containsExactly("D4821937");
        assertThat(tagged("call me back on +44 20 7946 0958 tonight", Category.PHONE_NUMBER)).containsExactly("+44 20 7946 0958");
    }

    @Test
    void decodedTagsKeepBioOrderAndOnlyAddressesCrossLines() {
        for (String text : List.of("Kind regards,\nBrunella Ostrov\nHead of Procurement\nKelvarin Logistics",
                "Ship to: Anna Berg, 18 Station Road\nCambridge CB1 2JD\nUnited Kingdom",
                "MEET JOHN SMITH FROM ACME AT 5 MAIN STREET", "i work at kelvarin logistics in new lisaside")) {
            List<int[]> tokens = TaggerTokens.of(text);
            int[] tags = TAGGER.tagIndices(text, tokens, RULES.ruleFindings(text));
            for (int i = 0; i < tags.length; i++) {
                String tag = TAGGER.tagName(tags[i]);
                if (!tag.startsWith("I-")) {
                    continue;
                }
                String before = i == 0 ? "O" : TAGGER.tagName(tags[i - 1]);
                assertThat(before).as(text + " @" + i).endsWith(tag.substring(1)).isNotEqualTo("O");
                boolean newLine = text.substring(tokens.get(i - 1)[1], tokens.get(i)[0]).contains("\n");
                assertThat(!newLine || tag.equals("I-" + Category.STREET_ADDRESS)).as(text + " @" + i).isTrue();
            }
        }
        String letter = "Kind regards,\nBrunella Ostrov\nHead of Procurement";
        assertThat(tagged(letter, Category.STREET_ADDRESS)).isEmpty();
        String address = "Ship to: Anna Berg, 18 Station Road\nCambridge CB1 2JD";
        assertThat(tagged(address, Category.STREET_ADDRESS)).containsExactly("18 Station Road\nCambridge CB1 2JD");
    }

    @Test
    void theDecodersPrecomputedTransitionBucketsAreTheTrainersOnes() {
        String[] tags = PiiTaggerTrainer.tagNames();
        TaggerFeatures.TransitionHashes hashes = new TaggerFeatures.TransitionHashes(tags);
        for (int p = -1; p < tags.length; p++) {
            int[] expected = TaggerFeatures.transitions(p < 0 ? PiiTagger.START : tags[p], "berlin", "Xx");
            assertThat(new int[] {hashes.prior(p), hashes.withWord(p, "berlin"), hashes.withShape(p, "Xx")}).isEqualTo(expected);
        }
    }

    @Test
    void leavesOrdinaryTextAlone() {
        for (String text : List.of("Please restart the Build Server after the Update.",
                "The quarterly Budget was approved by the Board on Monday.",
                "Add 17 and 25, then divide the result by 3.")) {
            assertThat(TAGGER.tag(text, RULES.ruleFindings(text))).as(text).isEmpty();
        }
    }

    @Test
    void checksummedRulesWinOverTheTagger() {
        String text = "Dear Marta, charge 4111 1111 1111 1111 and call 555-0199-2231.";
        List<Finding> found = new PiiDetector().detect(text);
        assertThat(found).anySatisfy(f -> {
            assertThat(f.category()).isEqualTo(Category.CREDIT_CARD);
            assertThat(text.substring(f.start(), f.end())).isEqualTo("4111 1111 1111 1111");
        });
    }

    @Test
    void trainingIsDeterministicForASeed() throws IOException {
        PiiTaggerTrainer trainer = new PiiTaggerTrainer();
        byte[] a = bytes(trainer.train(new PiiTaggerTrainer.Settings(300, 2, 7)).tagger());
        byte[] b = bytes(trainer.train(new PiiTaggerTrainer.Settings(300, 2, 7)).tagger());
        byte[] other = bytes(trainer.train(new PiiTaggerTrainer.Settings(300, 2, 8)).tagger());
        assertThat(a).isEqualTo(b);
        assertThat(other).isNotEqualTo(a);
        // What was written reads back as the same model.
        PiiTagger read = PiiTagger.read(new ByteArrayInputStream(a), TaggerLexicon.get());
        assertThat(bytes(read)).isEqualTo(a);
    }

    @Test
    void generatedSentencesCarryTheirSpans() {
        List<SyntheticPiiCorpus.Sentence> sentences = new SyntheticPiiCorpus().generate(200, 3);
        assertThat(sentences).isEqualTo(new SyntheticPiiCorpus().generate(200, 3));
        assertThat(sentences.stream().flatMap(s -> s.spans().stream()).map(Finding::category).distinct())
                .contains(Category.PERSON, Category.STREET_ADDRESS, Category.ORGANIZATION, Category.PHONE_NUMBER);
        for (SyntheticPiiCorpus.Sentence s : sentences) {
            for (Finding f : s.spans()) {
                String value = s.text().substring(f.start(), f.end());
                assertThat(value).isNotBlank().isEqualTo(value.strip());
            }
        }
    }

    @Test
    void generatedNamesAddressesAndCasing() {
        List<SyntheticPiiCorpus.Sentence> sentences = new SyntheticPiiCorpus().generate(3000, 11);
        List<String> persons = values(sentences, Category.PERSON);
        List<String> addresses = values(sentences, Category.STREET_ADDRESS);
        // "{FIRST} {LAST}" is one person span, not two adjacent ones.
        for (SyntheticPiiCorpus.Sentence s : sentences) {
            for (int i = 1; i < s.spans().size(); i++) {
                Finding a = s.spans().get(i - 1);
                Finding b = s.spans().get(i);
                boolean adjacentPersons = a.category().equals(Category.PERSON) && b.category().equals(Category.PERSON) && b.start() == a.end() + 1;
                assertThat(adjacentPersons).as(s.text()).isFalse();
            }
        }
        assertThat(addresses).anyMatch(a -> a.matches("(?i)(PO|P\\.O\\.|Post Office) Box \\d+.*"));
        assertThat(addresses).anyMatch(a -> a.matches("(?s)(Flat|Unit|Apt\\.?|Apartment|Suite|Ste|Floor|Room|Bldg) \\d+.*"));
        // Some sentences are all lower case or all upper case, their spans still on the names.
        assertThat(persons).anyMatch(p -> p.chars().anyMatch(Character::isLetter) && p.equals(p.toLowerCase(java.util.Locale.ROOT)));
        assertThat(persons).anyMatch(p -> p.length() > 3 && p.equals(p.toUpperCase(java.util.Locale.ROOT)));
        // Well-known organisations from pii/organizations.txt, as written there.
        assertThat(values(sentences, Category.ORGANIZATION)).anyMatch(o -> List.of("Google", "Siemens", "Bank of America", "UNICEF", "Nestlé")
                .contains(o) || o.matches("(Bank|University|Museum|Institute|College) of .+"));
    }

    private static List<String> values(List<SyntheticPiiCorpus.Sentence> sentences, String category) {
        return sentences.stream().flatMap(s -> s.spans().stream().filter(f -> f.category().equals(category))
                .map(f -> s.text().substring(f.start(), f.end()))).toList();
    }

    private static byte[] bytes(PiiTagger tagger) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        tagger.write(out);
        return out.toByteArray();
    }
}
