package dev.llmplatform.api.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmplatform.api.web.ApiException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockHttpServletRequest;

class AccessControlTest {
    static MockHttpServletRequest requestOf(KeyPrincipal p) {
        MockHttpServletRequest r = new MockHttpServletRequest();
        r.setAttribute(KeyPrincipal.ATTRIBUTE, p);
        return r;
    }

    @Test
    void limitedUserKeysReachOnlyTheirModelsAndCollections() {
        var limited = requestOf(new KeyPrincipal("k", "n", Role.USER, Set.of("qwen"), Set.of("hr"), "strict", null, null));
        assertThatCode(() -> AccessControl.checkModel(limited, "qwen")).doesNotThrowAnyException();
        assertThatThrownBy(() -> AccessControl.checkModel(limited, "llama"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.status()).isEqualTo(HttpStatus.FORBIDDEN);
                    org.assertj.core.api.Assertions.assertThat(e.toBody().error().code()).isEqualTo("model_not_allowed");
                    org.assertj.core.api.Assertions.assertThat(e.toBody().error().param()).isEqualTo("model");
                });
        assertThatCode(() -> AccessControl.checkCollection(limited, "hr")).doesNotThrowAnyException();
        assertThatThrownBy(() -> AccessControl.checkCollection(limited, "finance")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> AccessControl.requireAdmin(limited)).isInstanceOf(ApiException.class);
    }

    @Test
    void unrestrictedUsersAdminsAndAuthOffReachEverything() {
        var user = requestOf(new KeyPrincipal("k", "n", Role.USER, Set.of(), Set.of(), null, null, null));
        assertThatCode(() -> AccessControl.checkModel(user, "any")).doesNotThrowAnyException();
        assertThatCode(() -> AccessControl.checkCollection(user, "any")).doesNotThrowAnyException();
        var noFilter = new MockHttpServletRequest();
        assertThatCode(() -> AccessControl.checkModel(noFilter, "any")).doesNotThrowAnyException();
        assertThatCode(() -> AccessControl.requireAdmin(requestOf(KeyPrincipal.ANONYMOUS))).doesNotThrowAnyException();
    }
}
