package dev.llmplatform.api.serving;

import dev.llmplatform.api.config.PlatformProperties;
import dev.llmplatform.api.metrics.PlatformMetrics;
import org.springframework.beans.factory.annotation.Autowired;
import dev.llmplatform.api.config.PlatformProperties.ModelEntry;
import dev.llmplatform.api.web.ApiException;
import dev.llmplatform.engine.model.KvType;
import dev.llmplatform.engine.gguf.GgufFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The chat/completion models this server runs, by id: loaded at startup from {@code llmp.models}
 * (a file that cannot load stops startup, naming it), loaded and unloaded at runtime, closed on
 * shutdown after the web server has drained its requests.
 */
@Component
public class ModelManager implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(ModelManager.class);

    private final PlatformProperties.Serving defaults;
    private final EmbeddingService embeddings;
    private final PlatformMetrics metrics;
    private final Map<String, ServedModel> models = new ConcurrentHashMap<>();
    private final Map<String, PlatformMetrics.ServingGauges> gauges = new ConcurrentHashMap<>();

    /** Without metrics (tests, tools). */
    public ModelManager(PlatformProperties properties, EmbeddingService embeddings) {
        this(properties, embeddings, null);
    }

    @Autowired
    public ModelManager(PlatformProperties properties, EmbeddingService embeddings, PlatformMetrics metrics) {
        this.defaults = properties.serving();
        this.embeddings = embeddings;
        this.metrics = metrics;
        try {
            for (ModelEntry entry : properties.models()) {
                if (!entry.isUpstream()) { // remote models are the upstream registry's
                    load(entry);
                }
            }
            checkKvBudget();
        } catch (RuntimeException e) {
            destroy();
            throw e;
        }
    }

    /**
     * Loads a model and makes it available under its id: a chat/completion model, or (for a BERT file)
     * an embedding model served by {@link EmbeddingService}, for which this returns null.
     *
     * @throws ModelLoadException naming the model and the reason when the file cannot be served
     */
    public ServedModel load(ModelEntry entry) {
        String id = entry.effectiveId();
        if (models.containsKey(id)) {
            throw new ModelLoadException("model '" + id + "' is already loaded", null);
        }
        if (entry.path() == null || !Files.isRegularFile(entry.path())) {
            throw new ModelLoadException("cannot load model '" + id + "': no such file " + entry.path(), null);
        }
        if (isEncoder(entry.path())) {
            try {
                embeddings.register(id, entry.path());
            } catch (IOException | RuntimeException e) {
                throw new ModelLoadException("cannot load embedding model '" + id + "' from " + entry.path() + ": " + e.getMessage(), e);
            }
            log.info("Loaded embedding model '{}' from {}", id, entry.path());
            return null;
        }
        KvType kvType;
        try {
            kvType = KvType.parse(entry.kvType() != null ? entry.kvType() : defaults.kvType());
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException("cannot load model '" + id + "': " + e.getMessage(), e);
        }
        int ctx = entry.ctx() != null ? entry.ctx() : defaults.ctx();
        int parallel = entry.parallel() != null ? entry.parallel() : defaults.parallel();
        int threads = entry.threads() != null ? entry.threads() : defaults.threads();
        if (ctx < 2 || parallel < 1 || threads < 0) {
            throw new ModelLoadException("cannot load model '" + id + "': ctx must be ≥ 2, parallel ≥ 1 and threads ≥ 0 (got "
                    + ctx + ", " + parallel + ", " + threads + ")", null);
        }
        long t0 = System.nanoTime();
        ServedModel model;
        try {
            model = ServedModel.load(id, entry.path(), ctx, parallel, threads, kvType, defaults.warmUp());
        } catch (RuntimeException e) {
            throw new ModelLoadException("cannot load model '" + id + "' from " + entry.path() + ": "
                    + (e.getMessage() != null ? e.getMessage() : e.toString()), e);
        }
        models.put(id, model);
        if (metrics != null) {
            gauges.put(id, metrics.registerServingGauges(id, () -> model.pool().waiting(), () -> model.pool().inUse(),
                    model::kvCacheUsage, model::prefixCacheHitRate, model::constraintCacheStats));
        }
        log.info("Loaded model '{}' from {} in {} ms: context {} x {} sequences, {} threads, KV {}", id, entry.path(),
                (System.nanoTime() - t0) / 1_000_000, model.contextLength(), parallel, model.threads(),
                kvType.name().toLowerCase(Locale.ROOT));
        return model;
    }

    /** Stops a model's scheduler and frees its memory; requests still running on it end as cancelled. */
    public void unload(String id) {
        ServedModel model = models.remove(id);
        if (model == null) {
            throw ApiException.modelNotFound(id);
        }
        closeGauges(id);
        model.close();
        log.info("Unloaded model '{}'", id);
    }

    /** The model serving {@code id}; 404 {@code model_not_found} otherwise. */
    public ServedModel get(String id) {
        if (id == null) {
            throw ApiException.invalidRequest("you must provide a model parameter", "model");
        }
        ServedModel model = models.get(id);
        if (model == null) {
            throw ApiException.modelNotFound(id);
        }
        return model;
    }

    /** The model for requests that name none (tokenize): the only one, or the first configured. */
    public ServedModel defaultModel() {
        return models.values().stream().findFirst()
                .orElseThrow(() -> ApiException.invalidRequest("no model is loaded", "model"));
    }

    public Collection<ServedModel> all() {
        return List.copyOf(models.values());
    }

    private void closeGauges(String id) {
        PlatformMetrics.ServingGauges g = gauges.remove(id);
        if (g != null) {
            g.close();
        }
    }

    /** Whether a GGUF file holds a sentence encoder (BERT family) rather than a decoder. */
    private static boolean isEncoder(Path path) {
        try (GgufFile file = GgufFile.open(path)) {
            return file.metadata().string("general.architecture").orElse("").contains("bert");
        } catch (RuntimeException e) {
            return false; // the decoder load reports what is wrong with the file
        }
    }

    private void checkKvBudget() {
        long budget = defaults.kvBudgetMib() << 20;
        if (budget <= 0) {
            return;
        }
        long total = 0;
        List<String> parts = new ArrayList<>();
        for (ServedModel m : models.values()) {
            long bytes = m.kvBytesAtFullContext();
            total += bytes;
            parts.add(m.id() + " " + (bytes >> 20) + " MiB (" + m.pool().capacity() + " x " + m.contextLength() + " tokens)");
        }
        if (total > budget) {
            throw new ModelLoadException("the models' KV caches need " + (total >> 20) + " MiB at full context, over llmp.serving.kv-budget-mib="
                    + defaults.kvBudgetMib() + ": " + String.join(", ", parts) + "; lower --ctx or --parallel, or use --kv-type q8_0", null);
        }
    }

    @Override
    public void destroy() {
        for (String id : List.copyOf(models.keySet())) {
            ServedModel m = models.remove(id);
            closeGauges(id);
            if (m != null) {
                m.close();
            }
        }
    }
}
