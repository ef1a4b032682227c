package dev.llmplatform.api.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code llmp.*} configuration of what the platform serves. {@code llmp serve --model ... --ctx ...}
 * sets the same properties, so a YAML file, environment variables ({@code LLMP_SERVING_PARALLEL}) and
 * the command line are one configuration.
 *
 * @param models  the chat/completion models; {@code llmp serve --model [NAME=]PATH} adds entries
 * @param serving defaults for every model and the serving runtime's limits
 */
@ConfigurationProperties("llmp")
public record PlatformProperties(List<ModelEntry> models, @DefaultValue Serving serving) {
    public PlatformProperties {
        models = models == null ? List.of() : List.copyOf(models);
    }

    /**
     * One model to load. Unset options take the {@link Serving} defaults.
     *
     * @param id       the name clients put in {@code "model"}; defaults to the file name without {@code .gguf}
     * @param path     the GGUF file
     * @param ctx      context length per sequence (capped at the model's trained context)
     * @param threads  worker threads of this model's kernels
     * @param parallel sequences decoded together (continuous batching slots)
     * @param kvType   KV cache element type: f16, q8_0 or f32
     * @param upstream instead of a file: the base URLs of OpenAI-compatible servers that answer for this model
     *                 (load-balanced; see {@code api.upstream}); {@code ctx} is then the context the RAG budget assumes
     * @param upstreamModel the model name the upstreams know it by (default: {@code id})
     * @param upstreamKey   the bearer key sent to the upstreams, if they need one
     */
    public record ModelEntry(String id, Path path, Integer ctx, Integer threads, Integer parallel, String kvType,
                             List<URI> upstream, String upstreamModel, String upstreamKey) {
        @ConstructorBinding
        public ModelEntry {
            upstream = upstream == null ? List.of() : List.copyOf(upstream);
        }

        /** A local GGUF file. */
        public ModelEntry(String id, Path path, Integer ctx, Integer threads, Integer parallel, String kvType) {
            this(id, path, ctx, threads, parallel, kvType, List.of(), null, null);
        }

        public boolean isUpstream() {
            return !upstream.isEmpty();
        }

        public String effectiveId() {
            if (id != null && !id.isBlank()) {
                return id;
            }
            if (path == null) {
                throw new IllegalArgumentException("a model entry needs an 'id' or a 'path'");
            }
            String name = path.getFileName().toString();
            return name.endsWith(".gguf") ? name.substring(0, name.length() - 5) : name;
        }
    }

    /**
     * @param ctx             default context length per sequence
     * @param threads         default worker threads per model (0: all processors)
     * @param parallel        default sequences per model
     * @param kvType          default KV cache type
     * @param kvBudgetMib     the most KV cache memory all models together may reserve at full context
     *                        (0: no limit); startup fails naming the numbers when the models exceed it
     * @param queueTimeout    how long a request waits for a free sequence before it gets 429
     * @param requestTimeout  the longest a generation may run
     * @param disconnectProbe how often a non-streaming request checks that its client is still there
     *                        (by writing a JSON-insignificant space) once it has run this long
     * @param warmUp          run the kernels once at load so the first request does not pay for JIT
     */
    public record Serving(@DefaultValue("4096") int ctx, @DefaultValue("0") int threads,
                          @DefaultValue("4") int parallel, @DefaultValue("f16") String kvType,
                          @DefaultValue("0") long kvBudgetMib, @DefaultValue("30s") Duration queueTimeout,
                          @DefaultValue("10m") Duration requestTimeout, @DefaultValue("1s") Duration disconnectProbe,
                          @DefaultValue("true") boolean warmUp) {
        public Serving {
            if (ctx < 2) {
                throw new IllegalArgumentException("llmp.serving.ctx must be at least 2, got " + ctx);
            }
            if (threads < 0) {
                throw new IllegalArgumentException("llmp.serving.threads must be ≥ 0, got " + threads);
            }
            if (parallel < 1) {
                throw new IllegalArgumentException("llmp.serving.parallel must be ≥ 1, got " + parallel);
            }
        }
    }
}
