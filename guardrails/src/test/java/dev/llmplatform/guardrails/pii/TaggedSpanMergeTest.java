package dev.llmplatform.guardrails.pii;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.Finding;
import dev.llmplatform.guardrails.Findings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How tagged spans join rule findings: gaps are filled, a whole replaces its parts, other rules win. */
class TaggedSpanMergeTest {
    private static final TaggedSpanMerge.SpanCheck ANY = (category, span) -> true;

    private static Finding at(String text, String part, String category, double score) {
        int start = text.indexOf(part);
        return new Finding(category, start, start + part.length(), score, "test");
    }

    private static List<String> resolved(String text, List<Finding> rules, List<Finding> tagged) {
        return Findings.resolveOverlaps(TaggedSpanMerge.merge(text, rules, tagged, ANY)).stream()
                .map(f -> f.category() + "=" + text.substring(f.start(), f.end())).toList();
    }

    @Test
    void aWholeAddressReplacesTheStreetPlaceAndPostcodeTheRulesFound() {
        String text = "Ship it to 18 Station Road, Cambridge CB1 2JD today.";
        List<Finding> rules = List.of(at(text, "18 Station Road", Category.STREET_ADDRESS, 0.85),
                at(text, "Cambridge", Category.GPE, 0.75), at(text, "CB1 2JD", Category.ZIP_CODE, 0.7));
        List<Finding> tagged = List.of(at(text, "18 Station Road, Cambridge CB1 2JD", Category.STREET_ADDRESS, PiiTagger.SCORE));
        assertThat(resolved(text, rules, tagged)).containsExactly("STREET_ADDRESS=18 Station Road, Cambridge CB1 2JD");
        // The whole takes the strongest part's score, so a policy threshold treats it as the rules would.
        assertThat(TaggedSpanMerge.merge(text, rules, tagged, ANY)).singleElement().extracting(Finding::score).isEqualTo(0.85);
    }

    @Test
    void anAddressWithOneNumberDoesNotSwallowATownAfterIt() {
        String text = "She moved from 12 Oak Avenue, Springfield to Paris.";
        List<Finding> rules = List.of(at(text, "12 Oak Avenue", Category.STREET_ADDRESS, 0.85), at(text, "Springfield", Category.GPE, 0.75));
        List<Finding> tagged = List.of(at(text, "12 Oak Avenue, Springfield", Category.STREET_ADDRESS, PiiTagger.SCORE));
        assertThat(resolved(text, rules, tagged)).containsExactly("STREET_ADDRESS=12 Oak Avenue", "GPE=Springfield");
    }

    @Test
    void aTownIsPartOfAnAddressWithAHouseNumberAndAPostcode() {
        Map<String, String> townIn = Map.of("Kungsgatan 12, 111 43 Stockholm", "Stockholm",
                "45 Elm Street\nApt 3B\nChicago, IL 60614", "Chicago", "Hauptstr. 5, 10115 Berlin", "Berlin",
                "221B Baker Street, London NW1 6XE", "London");
        townIn.forEach((address, town) -> {
            String text = "Our office: " + address + ".";
            List<Finding> rules = List.of(at(text, town, Category.GPE, 0.75));
            assertThat(resolved(text, rules, List.of(at(text, address, Category.STREET_ADDRESS, PiiTagger.SCORE)))).as(address)
                    .containsExactly("STREET_ADDRESS=" + address);
        });
        // One number: the town may stand on its own after a street.
        String text = "Sold: 12 Oak Avenue, Springfield.";
        List<Finding> rules = List.of(at(text, "Springfield", Category.GPE, 0.75));
        assertThat(resolved(text, rules, List.of(at(text, "12 Oak Avenue, Springfield", Category.STREET_ADDRESS, PiiTagger.SCORE))))
                .containsExactly("GPE=Springfield");
    }

    @Test
    void rulesOfOtherTypesOrReachingOutsideTheSpanKeepTheirAnswer() {
        String text = "Card 4111 1111 1111 1111 at 5 Main Street, Boston 02108";
        Finding card = at(text, "4111 1111 1111 1111", Category.CREDIT_CARD, 0.95);
        List<Finding> tagged = List.of(at(text, "1111 at 5 Main Street, Boston 02108", Category.STREET_ADDRESS, PiiTagger.SCORE));
        assertThat(resolved(text, List.of(card), tagged)).containsExactly("CREDIT_CARD=4111 1111 1111 1111");

        String names = "Lunch with Anna Maria Berg today";
        List<Finding> person = List.of(at(names, "Anna Maria", Category.PERSON, 0.8));
        assertThat(resolved(names, person, List.of(at(names, "Maria Berg", Category.PERSON, PiiTagger.SCORE))))
                .containsExactly("PERSON=Anna Maria");
        assertThat(resolved(names, person, List.of(at(names, "Anna Maria Berg", Category.PERSON, PiiTagger.SCORE))))
                .containsExactly("PERSON=Anna Maria Berg");
        // An organisation named after a person is not taken from the person rule: that trade lost persons.
        String org = "I work for Berg Logistics now";
        assertThat(resolved(org, List.of(at(org, "Berg", Category.PERSON, 0.8)), List.of(at(org, "Berg Logistics", Category.ORGANIZATION, PiiTagger.SCORE))))
                .containsExactly("PERSON=Berg");
    }

    @Test
    void taggedSpansFillTheGapsIfPlausible() {
        String text = "I work for Kelvarin as a driver, call 12.";
        List<Finding> tagged = List.of(at(text, "Kelvarin", Category.ORGANIZATION, PiiTagger.SCORE), at(text, "12", Category.PHONE_NUMBER, PiiTagger.SCORE));
        TaggedSpanMerge.SpanCheck phonesNeedDigits = (category, span) -> !category.equals(Category.PHONE_NUMBER) || span.length() >= 7;
        assertThat(TaggedSpanMerge.merge(text, List.of(), tagged, phonesNeedDigits)).extracting(f -> text.substring(f.start(), f.end()))
                .containsExactly("Kelvarin");
    }
}
