package dev.llmplatform.engine;

import dev.llmplatform.engine.gguf.GgufException;
import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.tokenizer.Tokenizer;
import dev.llmplatform.engine.tokenizer.Tokenizers;

/** Builds a model file's tokenizer, with a clear error when the file has none. */
final class TokenizerLoader {
    private TokenizerLoader() {
    }

    static Tokenizer load(GgufFile file) {
        if (!file.metadata().has("tokenizer.ggml.model")) {
            throw new GgufException("the model file has no tokenizer (tokenizer.ggml.model)");
        }
        return Tokenizers.fromGguf(file.metadata());
    }
}
