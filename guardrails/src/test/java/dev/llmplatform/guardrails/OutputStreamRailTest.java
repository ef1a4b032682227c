package dev.llmplatform.guardrails;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.guardrails.OutputStreamRail.StreamChunk;
import dev.llmplatform.guardrails.audit.AuditSink;
import dev.llmplatform.guardrails.audit.AuditEvent;
import dev.llmplatform.guardrails.policy.PolicyLoader;
import dev.llmplatform.guardrails.policy.PolicySet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputStreamRailTest {
    final Guardrails guardrails = new Guardrails(PolicyLoader.loadDefault(), AuditSink.DISCARD,
            () -> { throw new AssertionError("not needed"); }, () -> { throw new AssertionError("not needed"); });

    /** Feeds {@code text} in deltas of {@code size} characters; returns what reached the client and the stop. */
    static String[] stream(OutputStreamRail rail, String text, int size) {
        StringBuilder sent = new StringBuilder();
        for (int i = 0; i < text.length(); i += size) {
            StreamChunk c = rail.push(text.substring(i, Math.min(text.length(), i + size)));
            sent.append(c.text());
            if (c.stopped()) {
                return new String[] {sent.toString(), c.category()};
            }
        }
        StreamChunk last = rail.finish();
        sent.append(last.text());
        return new String[] {sent.toString(), last.stopped() ? last.category() : null};
    }

    @Test
    void aSecretSplitAcrossManyDeltasIsCutBeforeItsFirstCharacter() {
        String prefix = "Sure! Here is the configuration you asked for, with the deploy key: ";
        String secret = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
        for (int size : new int[] {1, 2, 3, 7}) {
            OutputStreamRail rail = guardrails.session("fast", RequestContext.NONE).newOutputStream();
            String[] r = stream(rail, prefix + secret + " and more text after it.", size);
            assertThat(r[1]).as("delta size " + size).isEqualTo(Category.GITHUB_TOKEN);
            assertThat(r[0]).as("delta size " + size).isEqualTo(prefix).doesNotContain("g" + "hp");
            assertThat(rail.stopped()).isTrue();
        }
    }

    @Test
    void aCardNumberIsCutEvenWhenItsDigitsTrickleIn() {
        String text = "Your card on file is 4111 1111 1111 1111, expiring soon.";
        String[] r = stream(guardrails.session("default", RequestContext.NONE).newOutputStream(), text, 1);
        assertThat(r[1]).isEqualTo(Category.CREDIT_CARD);
        assertThat(r[0]).isEqualTo("Your card on file is ");
    }

    @Test
    void cleanTextPassesWholeAndPlaceholdersAreRestoredAcrossDeltas() {
        GuardSession s = guardrails.session("fast", RequestContext.NONE);
        assertThat(s.checkInput("Reply to carol@example.net please").text()).isEqualTo("Reply to <EMAIL_1> please");
        String answer = "I have drafted the reply to <EMAIL_1>. It thanks them for the quick turnaround on the contract, "
                + "and proposes a call next week.";
        String[] r = stream(s.newOutputStream(), answer, 2);
        assertThat(r[1]).isNull();
        assertThat(r[0]).isEqualTo(answer.replace("<EMAIL_1>", "carol@example.net"));
    }

    @Test
    void findingsThePolicyRedactsAreReplacedBeforeRelease() {
        PolicySet policies = PolicyLoader.parse("""
                policies:
                  default:
                    output: [pii]
                    restore_output: true
                    output_actions: {EMAIL_ADDRESS: redact}
                """, "test", null);
        List<AuditEvent> events = new ArrayList<>();
        Guardrails g = new Guardrails(policies, events::add, () -> { throw new AssertionError(); }, () -> { throw new AssertionError(); });
        String answer = "You can reach the account owner at owner.name@example.com during office hours, Monday to Friday.";
        String[] r = stream(g.session(null, RequestContext.NONE).newOutputStream(), answer, 3);
        assertThat(r[1]).isNull();
        assertThat(r[0]).isEqualTo(answer.replace("owner.name@example.com", "<EMAIL_1>"));
        // Audited once, although the e-mail was in the scanned window on many deltas.
        assertThat(events).filteredOn(e -> e.category().equals(Category.EMAIL_ADDRESS)).singleElement().satisfies(e -> {
            assertThat(e.rail()).isEqualTo("output");
            assertThat(e.action()).isEqualTo("redact");
        });
    }

    @Test
    void nothingIsReleasedWhileItCouldStillBeTheStartOfASecret() {
        OutputStreamRail rail = guardrails.session("fast", RequestContext.NONE).newOutputStream();
        StreamChunk c = rail.push("short answer");
        assertThat(c.text()).isEmpty();
        assertThat(rail.finish().text()).isEqualTo("short answer");
    }
}
