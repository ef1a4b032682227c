package dev.llmplatform.guardrails.pii;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

class PiiDetectorTest {
    private final PiiDetector detector = new PiiDetector();

    private List<String> found(String text, String category) {
        return detector.detect(text).stream().filter(f -> f.category().equals(category))
                .map(f -> text.substring(f.start(), f.end())).toList();
    }

    @Test
    void emails() {
        assertThat(found("Mail jane.doe+news@example.co.uk today", Category.EMAIL_ADDRESS)).containsExactly("jane.doe+news@example.co.uk");
        assertThat(found("the @ sign and user@localhost", Category.EMAIL_ADDRESS)).isEmpty();
    }

    @Test
    void cardsNeedTheLuhnCheck() {
        assertThat(found("pay with 4111 1111 1111 1111 now", Category.CREDIT_CARD)).containsExactly("4111 1111 1111 1111");
        assertThat(found("amex 378282246310005.", Category.CREDIT_CARD)).containsExactly("378282246310005");
        assertThat(found("order 4111 1111 1111 1112 shipped", Category.CREDIT_CARD)).isEmpty();
        assertThat(Checksums.luhn("79927398713")).isTrue();
        assertThat(Checksums.luhn("79927398710")).isFalse();
    }

    @Test
    void ibansNeedMod97() {
        assertThat(found("IBAN DE89 3704 0044 0532 0130 00 please", Category.IBAN_CODE)).containsExactly("DE89 3704 0044 0532 0130 00");
        assertThat(found("to GB82WEST12345698765432.", Category.IBAN_CODE)).containsExactly("GB82WEST12345698765432");
        assertThat(found("to GB82WEST12345698765433.", Category.IBAN_CODE)).isEmpty();
    }

    @Test
    void ssnsNeedAValidStructure() {
        assertThat(found("SSN 536-22-1234 on file", Category.US_SSN)).containsExactly("536-22-1234");
        assertThat(found("SSN 000-22-1234 and 666-12-1234 and 536-00-1234", Category.US_SSN)).isEmpty();
        assertThat(found("my ssn is 536221234", Category.US_SSN)).containsExactly("536221234");
        assertThat(found("order 536221234", Category.US_SSN)).isEmpty();
    }

    @Test
    void ipAddresses() {
        assertThat(found("from 192.168.10.254 and 2001:db8::8a2e:370:7334", Category.IP_ADDRESS))
                .containsExactly("192.168.10.254", "2001:db8::8a2e:370:7334");
        assertThat(found("version 1.2.3.4.5 and 300.1.1.1 at 10:30", Category.IP_ADDRESS)).isEmpty();
    }

    @Test
    void zipCodesAfterAStateCodeOrAZipWord() {
        assertThat(found("Springfield, IL 62704", Category.ZIP_CODE)).containsExactly("62704");
        assertThat(found("postal code: 8021", Category.ZIP_CODE)).containsExactly("8021");
        assertThat(found("batch XB 40213 and order PO 77120 were merged", Category.ZIP_CODE)).isEmpty();
    }

    @Test
    void phoneNumbers() {
        assertThat(found("Call +44 20 7946 0958 or (555) 123-4567", Category.PHONE_NUMBER))
                .containsExactly("+44 20 7946 0958", "(555) 123-4567");
        assertThat(found("phone: 079 0442 1744", Category.PHONE_NUMBER)).containsExactly("079 0442 1744");
        assertThat(found("It costs 12 dollars and weighs 3 kg", Category.PHONE_NUMBER)).isEmpty();
    }

    @Test
    void driverLicencesAfterTheirNameNotPhonesInsideThem() {
        PiiDetector rules = PiiDetector.rulesOnly();
        for (String text : List.of("My driver's license number is D4821937.", "Driver license no. D4821937", "driver's licence ID: D4821937")) {
            assertThat(rules.detect(text)).as(text).extracting(f -> f.category() + "=" + text.substring(f.start(), f.end()))
                    .containsExactly("US_DRIVER_LICENSE=D4821937");
        }
        // A phone number does not start in the middle of a letter-digit code.
        String text = "Call the number on ticket QX4821937 today";
        assertThat(rules.detect(text)).noneMatch(f -> f.category().equals(Category.PHONE_NUMBER));
        assertThat(found("Call me, my number is 415 555 0132", Category.PHONE_NUMBER)).containsExactly("415 555 0132");
    }

    @Test
    void datesAgesAndUrls() {
        assertThat(found("born on 7/14/1995, met on March 3, 2021", Category.DATE_TIME)).containsExactly("7/14/1995", "March 3, 2021");
        assertThat(found("She is 42 years old", Category.AGE)).containsExactly("42");
        assertThat(found("see https://www.example.com/path?q=1.", Category.DOMAIN_NAME)).containsExactly("https://www.example.com/path?q=1");
        assertThat(found("I have 3 apples", Category.AGE)).isEmpty();
    }

    @Test
    void namesAddressesAndPlaces() {
        assertThat(found("Please ask Maria Schneider about it", Category.PERSON)).containsExactly("Maria Schneider");
        assertThat(found("Dr. Okonkwo will see you", Category.PERSON)).containsExactly("Okonkwo");
        assertThat(found("Send it to 221 Baker Street, please", Category.STREET_ADDRESS)).containsExactly("221 Baker Street");
        assertThat(found("We moved from Norway to New Zealand", Category.GPE)).containsExactly("Norway", "New Zealand");
        // Text typed all in lower case still names people; in text with capitals a lower-case word is no name.
        assertThat(found("please ask maria schneider about it", Category.PERSON)).containsExactly("maria schneider");
        assertThat(found("The maria schneider sentence has capitals elsewhere", Category.PERSON)).isEmpty();
        // a form of address alone names no one; before a name it marks the name
        assertThat(found("Dear Sir, thank you for your letter.", Category.PERSON)).isEmpty();
        assertThat(found("Dear Madam,", Category.PERSON)).isEmpty();
        assertThat(found("Sir Okonkwo will see you", Category.PERSON)).containsExactly("Okonkwo");
    }

    /** Findings at or above the built-in policies' PII threshold (0.7). */
    private List<String> reported(String text, String category) {
        return detector.detect(text).stream().filter(f -> f.category().equals(category) && f.score() >= 0.7)
                .map(f -> text.substring(f.start(), f.end())).toList();
    }

    @Test
    void aLoneNameThatAlsoNamesALanguageOrCountryIsNotRedacted() {
        // "German" and "Jordan" are given names in the lists; alone they are the language and the country
        assertThat(reported("Translate 'Good Morning' into German and French.", Category.PERSON)).isEmpty();
        assertThat(reported("Jordan reviewed it yesterday.", Category.PERSON)).isEmpty();
        // with a surname beside them they are names again
        assertThat(reported("Please call German Alvarez tomorrow", Category.PERSON)).containsExactly("German Alvarez");
        assertThat(reported("I met Jordan Whitaker at the conference", Category.PERSON)).containsExactly("Jordan Whitaker");
    }

    @Test
    void codeAndYearsAreNotNamesOrPostcodes() {
        // lower-case text without a listed name: code, not a person (the tagger alone called "def fib" one)
        assertThat(reported("def fib(n):", Category.PERSON)).isEmpty();
        assertThat(reported("for i in range(n): total += fib(i)", Category.PERSON)).isEmpty();
        // all lower case, but a name the lists know stays a name
        assertThat(reported("please send it to maria garcia tomorrow", Category.PERSON)).isNotEmpty();
        // a four-digit number with no address or postal word in sight is a year, not a postcode
        assertThat(reported("In 1492", Category.ZIP_CODE)).isEmpty();
        assertThat(reported("See page 2048 of the manual.", Category.ZIP_CODE)).isEmpty();
    }

    @Test
    void namesFromTheGazetteerInSeveralLanguages() {
        assertThat(reported("The invoice went to Juhani Mäkinen last week", Category.PERSON)).containsExactly("Juhani Mäkinen");
        assertThat(reported("I spoke with Korhonen about the delivery", Category.PERSON)).containsExactly("Korhonen");
        // The name rule: a lone surname opening a sentence may be an ordinary word; it stays below the threshold.
        // (The tagger may still judge it from context: "Korhonen is ..." reads as a person to it.)
        assertThat(PiiDetector.rulesOnly().detect("Korhonen is a common name.")).noneMatch(f -> f.category().equals(Category.PERSON) && f.score() >= 0.7);
        assertThat(reported("May we meet on Friday? The new plan is ready.", Category.PERSON)).isEmpty();
    }

    @Test
    void streetsNeedAHouseNumber() {
        assertThat(reported("Her office is at Koskikatu 25 in the centre", Category.STREET_ADDRESS)).containsExactly("Koskikatu 25");
        assertThat(reported("Ship it to 24 Clarke Avenue tomorrow", Category.STREET_ADDRESS)).containsExactly("24 Clarke Avenue");
        assertThat(reported("Deliver to Apt. 117 please", Category.STREET_ADDRESS)).containsExactly("Apt. 117");
        assertThat(reported("We walked along Clarke Avenue to the shops", Category.STREET_ADDRESS)).isEmpty();
    }

    @Test
    void townsOrganisationsAndJobTitles() {
        assertThat(reported("She grew up in Jonesville before the war", Category.GPE)).containsExactly("Jonesville");
        assertThat(reported("The contract with Korhonen-Virtanen was signed", Category.ORGANIZATION)).containsExactly("Korhonen-Virtanen");
        assertThat(reported("He works at Zillow now", Category.ORGANIZATION)).containsExactly("Zillow");
        assertThat(reported("My brother works as a senior software engineer", Category.TITLE)).containsExactly("senior software engineer");
        assertThat(reported("The engineer arrived late", Category.TITLE)).isEmpty();
        assertThat(reported("We work at home on Fridays", Category.ORGANIZATION)).isEmpty();
    }
}
