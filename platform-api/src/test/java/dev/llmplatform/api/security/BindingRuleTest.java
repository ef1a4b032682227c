package dev.llmplatform.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BindingRuleTest {
    @Test
    void loopbackAddressesNeedNoKeys() {
        assertThat(BindingRule.refusal("127.0.0.1", false)).isEmpty();
        assertThat(BindingRule.refusal("::1", false)).isEmpty();
        assertThat(BindingRule.refusal("localhost", false)).isEmpty();
        assertThat(BindingRule.refusal("127.0.0.2", false)).isEmpty();
    }

    @Test
    void otherAddressesNeedKeys() {
        assertThat(BindingRule.refusal("0.0.0.0", false)).hasValueSatisfying(m ->
                assertThat(m).startsWith("refusing to listen on 0.0.0.0 without API keys"));
        assertThat(BindingRule.refusal("::", false)).isPresent();
        assertThat(BindingRule.refusal("10.1.2.3", false)).isPresent();
        assertThat(BindingRule.refusal(null, false)).hasValueSatisfying(m -> assertThat(m).contains("all network interfaces"));
        assertThat(BindingRule.refusal("", false)).isPresent();
    }

    @Test
    void keysMakeAnyAddressAcceptable() {
        assertThat(BindingRule.refusal("0.0.0.0", true)).isEmpty();
        assertThat(BindingRule.refusal(null, true)).isEmpty();
    }
}
