package dev.llmplatform.api.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description at {@code /v3/api-docs} (browsable at {@code /docs}). springdoc finds every
 * {@code @RestController} under {@code /v1} by itself; this adds what it cannot infer: the API's
 * description, the two ways to send a key, and the platform's extensions to OpenAI's request shapes.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {
    /** The extensions to OpenAI's shapes, by the request field that carries each. */
    static final Map<String, String> EXTENSIONS = extensions();

    private static Map<String, String> extensions() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("rag", "Chat requests may carry \"rag\": {\"collection\": NAME, ...}: the platform retrieves passages "
                + "from that document collection (hybrid BM25 + vector search) and grounds the answer in them.");
        m.put("grammar", "Completion and chat requests may carry \"grammar\" (a GBNF grammar) — besides OpenAI's "
                + "response_format json_object/json_schema — to constrain generation token by token.");
        m.put("citations", "Responses to \"rag\" requests carry \"citations\": the passages used (collection, "
                + "document, chunk, span), referenced from the answer text as [n].");
        return Map.copyOf(m);
    }

    @Bean
    OpenApiCustomizer platformOpenApi() {
        return openApi -> {
            StringBuilder description = new StringBuilder("OpenAI-compatible API of LLM Platform, with extensions:\n");
            EXTENSIONS.forEach((name, text) -> description.append("\n- `").append(name).append("`: ").append(text));
            openApi.info(new Info().title("LLM Platform API").version(version()).description(description.toString()));
            openApi.addExtension("x-llmp-extensions", new LinkedHashMap<>(EXTENSIONS));
            Components components = openApi.getComponents() != null ? openApi.getComponents() : new Components();
            components.addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                    .description("Authorization: Bearer KEY"));
            components.addSecuritySchemes("apiKeyHeader", new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                    .in(SecurityScheme.In.HEADER).name("X-Api-Key"));
            openApi.components(components);
            openApi.addSecurityItem(new SecurityRequirement().addList("bearer"));
            openApi.addSecurityItem(new SecurityRequirement().addList("apiKeyHeader"));
        };
    }

    private static String version() {
        String v = OpenApiConfiguration.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}
