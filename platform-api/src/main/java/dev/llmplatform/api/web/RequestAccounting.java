package dev.llmplatform.api.web;

import dev.llmplatform.api.config.LimitsProperties;
import dev.llmplatform.api.http.RequestAttributes;
import dev.llmplatform.api.metrics.PlatformMetrics;
import dev.llmplatform.api.ratelimit.UsageRecorder;
import dev.llmplatform.api.security.AccessControl;
import dev.llmplatform.api.serving.ServedModel;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * What every inference request owes the platform around it: the key may use the model (403 otherwise),
 * the request log names it, the platform's limits on {@code n} and {@code max_tokens} hold, and when it is
 * done its tokens are charged to the key's rate limit and counted in the metrics, with time to first token
 * and inter-token latency per token.
 */
@Component
public class RequestAccounting {
    private final UsageRecorder usage;
    private final PlatformMetrics metrics;
    private final LimitsProperties limits;

    public RequestAccounting(UsageRecorder usage, PlatformMetrics metrics, LimitsProperties limits) {
        this.usage = usage;
        this.metrics = metrics;
        this.limits = limits;
    }

    /** Before any work: access to the model, and the model in the request log. */
    public void begin(HttpServletRequest request, String model) {
        AccessControl.checkModel(request, model);
        RequestAttributes.setModel(request, model);
    }

    /** The most choices a request may ask for on this model: the platform's limit and the model's slots. */
    public int maxN(ServedModel model) {
        return Math.min(limits.maxN(), model.pool().capacity());
    }

    /** The most choices a request may ask for on a remote model: the platform's limit. */
    public int maxN() {
        return limits.maxN();
    }

    /** {@code max_tokens} above the platform's limit is refused. */
    public void checkMaxTokens(int requested, String param) {
        if (requested > limits.maxTokens()) {
            throw ApiException.invalidRequest("'" + param + "' is " + requested + "; this server allows at most "
                    + limits.maxTokens() + " (llmp.limits.max-tokens)", param);
        }
    }

    /** After generation: charge and count the tokens. */
    public void finish(HttpServletRequest request, ServedModel model, int promptTokens, int cachedTokens, int completionTokens) {
        usage.record(request, promptTokens, completionTokens);
        metrics.requestTokens(model.id(), promptTokens, completionTokens);
        model.recordPrompt(promptTokens, cachedTokens);
    }

    /** After a remote model answered: charge and count the tokens its usage reported. */
    public void finishRemote(HttpServletRequest request, String model, int promptTokens, int completionTokens) {
        usage.record(request, promptTokens, completionTokens);
        metrics.requestTokens(model, promptTokens, completionTokens);
    }

    /** Embedding requests: charged as prompt tokens. */
    public void finishEmbeddings(HttpServletRequest request, String model, int inputs, int promptTokens) {
        usage.record(request, promptTokens, 0);
        metrics.requestTokens(model, promptTokens, 0);
        metrics.embeddings(model, inputs);
    }

    /** A clock for one choice's tokens: the first reports time to first token, the rest inter-token latency. */
    public TokenClock clock(ServedModel model) {
        return clock(model.id());
    }

    public TokenClock clock(String model) {
        return new TokenClock(model, System.nanoTime());
    }

    /** Times one choice's tokens as they arrive. */
    public final class TokenClock {
        private final String model;
        private final long start;
        private long last;

        private TokenClock(String model, long start) {
            this.model = model;
            this.start = start;
        }

        public void token() {
            long now = System.nanoTime();
            if (last == 0) {
                metrics.timeToFirstToken(model, Duration.ofNanos(now - start));
            } else {
                metrics.interTokenLatency(model, Duration.ofNanos(now - last));
            }
            last = now;
        }
    }
}
