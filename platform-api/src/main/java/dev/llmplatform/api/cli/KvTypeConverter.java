package dev.llmplatform.api.cli;

import dev.llmplatform.engine.runtime.KvType;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --kv-type f16|q8_0|f32} (any case) for the commands that build a KV cache or size one. */
final class KvTypeConverter implements ITypeConverter<KvType> {
    @Override
    public KvType convert(String value) {
        try {
            return KvType.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
