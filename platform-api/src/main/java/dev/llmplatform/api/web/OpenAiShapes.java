package dev.llmplatform.api.web;

import dev.llmplatform.engine.runtime.FinishReason;
import dev.llmplatform.engine.runtime.GenerationEvent;
import dev.llmplatform.engine.runtime.TokenLogprob;
import dev.llmplatform.engine.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Pieces of OpenAI's response bodies, built as ordered maps so every field is where OpenAI puts it. */
final class OpenAiShapes {
    static final String FINGERPRINT = "fp_llmp";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private OpenAiShapes() {
    }

    /** An id like OpenAI's: {@code prefix} + 24 random letters and digits. */
    static String id(String prefix) {
        StringBuilder sb = new StringBuilder(prefix);
        for (int i = 0; i < 24; i++) {
            sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }

    static String finishReason(FinishReason reason, boolean toolCalls) {
        if (toolCalls && reason == FinishReason.STOP) {
            return "tool_calls";
        }
        return reason == FinishReason.LENGTH ? "length" : "stop";
    }

    static Map<String, Object> usage(int prompt, int completion, int cached) {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("prompt_tokens", prompt);
        u.put("completion_tokens", completion);
        u.put("total_tokens", prompt + completion);
        u.put("prompt_tokens_details", ordered("cached_tokens", cached, "audio_tokens", 0));
        u.put("completion_tokens_details", ordered("reasoning_tokens", 0, "audio_tokens", 0,
                "accepted_prediction_tokens", 0, "rejected_prediction_tokens", 0));
        return u;
    }

    /** A map whose members keep the order given (key, value, key, value, ...). */
    static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** A chat {@code logprobs.content[]} entry for a generated token. */
    static Map<String, Object> chatLogprob(Tokenizer tokenizer, GenerationEvent.Token t) {
        Map<String, Object> entry = tokenEntry(tokenizer, t.id(), t.logprob());
        List<Map<String, Object>> top = new ArrayList<>();
        for (TokenLogprob alt : t.topLogprobs()) {
            top.add(tokenEntry(tokenizer, alt.id(), alt.logprob()));
        }
        entry.put("top_logprobs", top);
        return entry;
    }

    private static Map<String, Object> tokenEntry(Tokenizer tokenizer, int id, float logprob) {
        byte[] bytes = tokenizer.tokenBytes(id);
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("token", tokenText(tokenizer, id));
        e.put("logprob", finite(logprob));
        List<Integer> list = new ArrayList<>(bytes.length);
        for (byte b : bytes) {
            list.add(b & 0xFF);
        }
        e.put("bytes", list);
        return e;
    }

    /** A token's text: its bytes as UTF-8 (lossy for a partial character), or its vocabulary text for a control token. */
    static String tokenText(Tokenizer tokenizer, int id) {
        byte[] bytes = tokenizer.tokenBytes(id);
        return bytes.length > 0 ? new String(bytes, StandardCharsets.UTF_8) : tokenizer.tokenText(id);
    }

    /** JSON has no −∞: OpenAI reports impossible tokens as −9999. */
    static double finite(float logprob) {
        return Float.isFinite(logprob) ? logprob : -9999.0;
    }
}
