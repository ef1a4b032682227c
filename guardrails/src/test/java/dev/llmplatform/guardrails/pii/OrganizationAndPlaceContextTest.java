package dev.llmplatform.guardrails.pii;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.Finding;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Organisations by their head noun, places by the preposition before them, and both inside the whole detector. */
class OrganizationAndPlaceContextTest {
    private static final TaggerLexicon LISTS = TaggerLexicon.get();
    private static final Recognizer HEADS = new OrganizationHeadRecognizer(LISTS.organizationHeads(), LISTS.commonWords());
    private static final Recognizer PLACES = new LocativePlaceRecognizer(LISTS.places(), LISTS.countries(),
            TaggerLexicon.union(LISTS.givenNames(), LISTS.surnames()), LISTS.commonWords());

    private static List<String> found(Recognizer r, String text) {
        List<Finding> out = new ArrayList<>();
        r.find(text, Words.of(text), out);
        return out.stream().map(f -> text.substring(f.start(), f.end())).toList();
    }

    @Test
    void organisationsEndInAHeadNoun() {
        assertThat(found(HEADS, "The grant came from Halvorsen Foundation last year.")).containsExactly("Halvorsen Foundation");
        assertThat(found(HEADS, "Copper Canyon Credit Union raised its rates.")).containsExactly("Copper Canyon Credit Union");
        assertThat(found(HEADS, "She studied at the University of Ghana.")).contains("University of Ghana");
        // Leading words that are no part of a name are left out.
        assertThat(found(HEADS, "Yesterday Tidewater Bank called.")).containsExactly("Tidewater Bank");
    }

    @Test
    void aHeadAfterGenericWordsOrBeforeAJobWordIsNoName() {
        assertThat(found(HEADS, "He left High School in 2001.")).isEmpty();
        assertThat(found(HEADS, "The Foundation is closed today.")).isEmpty();
        assertThat(found(HEADS, "We hired a Senior Software Engineer.")).isEmpty();
        assertThat(found(HEADS, "Kind regards,\nAnna Berg\nBank Manager")).isEmpty();
    }

    @Test
    void placesAfterPrepositions() {
        assertThat(found(PLACES, "User Sofia Rossi in Milan sees the wrong currency.")).containsExactly("Milan");
        assertThat(found(PLACES, "Flights from Dubai to Perth resume in spring.")).containsExactly("Dubai", "Perth");
        // All lower case: the place need not be capitalised; in cased text it must be.
        assertThat(found(PLACES, "stuck in traffic outside boston")).containsExactly("boston");
        assertThat(found(PLACES, "Stuck in traffic outside boston")).isEmpty();
    }

    @Test
    void aNameLikePlaceNeedsAPrepositionOfPlaceAndAPrefixIsNotThePlace() {
        // Milan is also a given name: "from" may introduce a person.
        assertThat(found(PLACES, "A message from Milan arrived.")).isEmpty();
        // "Port" alone is listed, but here it starts a longer name.
        assertThat(found(PLACES, "She works in Port Michaelmouth.")).doesNotContain("Port");
    }

    @Test
    void theDetectorPrefersTheOrganisationOverAPersonOrPlaceInsideIt() {
        PiiDetector detector = new PiiDetector();
        String text = "Thanks to Jade River Capital and Ostrava Steelworks, and see you in Kyoto until 14 January.";
        List<Finding> all = detector.detect(text);
        assertThat(all.stream().filter(f -> f.category().equals(Category.ORGANIZATION)).map(f -> text.substring(f.start(), f.end())))
                .containsExactlyInAnyOrder("Jade River Capital", "Ostrava Steelworks");
        assertThat(all.stream().filter(f -> f.category().equals(Category.GPE)).map(f -> text.substring(f.start(), f.end())))
                .containsExactly("Kyoto");
        assertThat(all.stream().filter(f -> f.category().equals(Category.PERSON))).isEmpty();
        assertThat(all.stream().filter(f -> f.category().equals(Category.DATE_TIME)).map(f -> text.substring(f.start(), f.end())))
                .containsExactly("14 January");
    }
}
