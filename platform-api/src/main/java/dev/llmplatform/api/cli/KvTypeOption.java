package dev.llmplatform.api.cli;

import dev.llmplatform.engine.model.KvType;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --kv-type f16|q8_0|f32} (any case), shared by the commands that build a KV cache or size one. */
final class KvTypeOption {
    @Option(names = "--kv-type", paramLabel = "TYPE", converter = Converter.class,
            description = "KV cache element type: f16 (default; half the memory of f32), q8_0 (about a quarter) or f32.")
    KvType kvType;

    /** The type asked for, else {@link KvType#DEFAULT}. */
    KvType type() {
        return kvType != null ? kvType : KvType.DEFAULT;
    }

    /** Whether {@code --kv-type} was given (the server then overrides its configured type). */
    boolean given() {
        return kvType != null;
    }

    static final class Converter implements ITypeConverter<KvType> {
        @Override
        public KvType convert(String value) {
            try {
                return KvType.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
