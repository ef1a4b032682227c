package dev.llmplatform.api.http;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Request attributes controllers set so the request log can report them (never prompt text).
 */
public final class RequestAttributes {
    public static final String REQUEST_ID = "llmp.requestId";
    public static final String MODEL = "llmp.model";
    public static final String PROMPT_TOKENS = "llmp.promptTokens";
    public static final String COMPLETION_TOKENS = "llmp.completionTokens";

    private RequestAttributes() {}

    /** Names the model a request used, for the request log. */
    public static void setModel(HttpServletRequest request, String model) {
        request.setAttribute(MODEL, model);
    }

    /** Adds token counts (a request may report several times, e.g. per choice). */
    public static void addTokens(HttpServletRequest request, int promptTokens, int completionTokens) {
        request.setAttribute(PROMPT_TOKENS, intAttribute(request, PROMPT_TOKENS) + promptTokens);
        request.setAttribute(COMPLETION_TOKENS, intAttribute(request, COMPLETION_TOKENS) + completionTokens);
    }

    /** The request id also returned as {@code x-request-id}. */
    public static String requestId(HttpServletRequest request) {
        return request.getAttribute(REQUEST_ID) instanceof String s ? s : null;
    }

    static int intAttribute(HttpServletRequest request, String name) {
        return request.getAttribute(name) instanceof Integer i ? i : 0;
    }
}
