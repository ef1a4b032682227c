package dev.llmplatform.engine;

import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.gguf.GgufMetadata;
import dev.llmplatform.engine.tokenizer.Tokenizer;
import java.lang.reflect.InvocationTargetException;

/**
 * Builds a file's tokenizer through {@code dev.llmplatform.engine.tokenizer.Tokenizers.fromGguf},
 * which comes from the tokenizer work; looked up reflectively until it is on this branch, so the
 * engine builds without it and says clearly when it is missing.
 */
final class TokenizerLoader {
    private TokenizerLoader() {
    }

    static Tokenizer load(GgufFile file) {
        try {
            Class<?> factory = Class.forName("dev.llmplatform.engine.tokenizer.Tokenizers");
            return (Tokenizer) factory.getMethod("fromGguf", GgufMetadata.class).invoke(null, file.metadata());
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            throw new UnsupportedOperationException("this build has no tokenizer implementation (Tokenizers.fromGguf)");
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
