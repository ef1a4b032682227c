package dev.llmplatform.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeySecretsTest {
    @Test
    void hashIsSha256Hex() {
        // FIPS 180-2 test vector for "abc".
        assertThat(ApiKeySecrets.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void secretsAreLongPrefixedAndDistinct() {
        ApiKeySecrets secrets = new ApiKeySecrets(new SecureRandom());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String s = secrets.newSecret();
            assertThat(s).startsWith("llmp-").hasSize(5 + 43).matches("llmp-[A-Za-z0-9_-]+");
            assertThat(seen.add(s)).isTrue();
        }
        assertThat(secrets.newId()).matches("key_[0-9a-f]{16}");
        assertThat(ApiKeySecrets.shownPrefix("llmp-abcdefghijk")).isEqualTo("llmp-abcdefg");
    }
}
