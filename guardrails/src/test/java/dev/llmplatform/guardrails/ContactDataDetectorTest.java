package dev.llmplatform.guardrails;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContactDataDetectorTest {
    private final ContactDataDetector detector = new ContactDataDetector();

    @Test
    void findsEmailsAndLuhnValidCards() {
        String text = "Mail jane.doe+news@example.co.uk or pay with 4111 1111 1111 1111 today.";
        List<Finding> findings = detector.detect(text);
        assertThat(findings).extracting(Finding::category)
                .containsExactlyInAnyOrder(ContactDataDetector.EMAIL, ContactDataDetector.CREDIT_CARD);
        Finding email = findings.stream().filter(f -> f.category().equals(ContactDataDetector.EMAIL)).findFirst().orElseThrow();
        assertThat(text.substring(email.start(), email.end())).isEqualTo("jane.doe+news@example.co.uk");
        assertThat(Redactor.redact(text, findings))
                .isEqualTo("Mail <EMAIL_ADDRESS> or pay with <CREDIT_CARD> today.");
    }

    @Test
    void ignoresNumbersThatFailTheChecksum() {
        assertThat(detector.detect("order 4111 1111 1111 1112 shipped")).isEmpty();
        assertThat(detector.detect("call 1234567890123")).isEmpty();
        assertThat(ContactDataDetector.passesLuhn("79927398713")).isTrue();
        assertThat(ContactDataDetector.passesLuhn("79927398710")).isFalse();
    }

    @Test
    void overlappingFindingsRedactOnce() {
        String text = "abcdefghij";
        assertThat(Redactor.redact(text, List.of(new Finding("X", 2, 6, 1), new Finding("Y", 4, 8, 1))))
                .isEqualTo("ab<X>ij");
    }

    @Test
    void blockedDecisionsCarryNoText() {
        Decision blocked = new Decision(Decision.Action.BLOCK, null, List.of(new Finding("X", 0, 1, 0.5)));
        assertThat(blocked.text()).isNull();
    }
}
