package dev.llmplatform.api.http;

import dev.llmplatform.api.web.ApiException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Writes an {@link ApiException} as OpenAI's error body from a servlet filter, where Spring MVC's
 * exception handlers do not reach.
 */
@Component
public class ErrorResponseWriter {
    private final ObjectMapper json;

    public ErrorResponseWriter(ObjectMapper json) {
        this.json = json;
    }

    public void write(HttpServletResponse response, ApiException error) throws IOException {
        response.setStatus(error.status().value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json.writeValueAsString(error.toBody()));
        response.getWriter().flush();
    }
}
