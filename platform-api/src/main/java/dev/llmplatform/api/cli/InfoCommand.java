package dev.llmplatform.api.cli;

import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.gguf.GgufSummary;
import dev.llmplatform.engine.template.ChatTemplates;
import dev.llmplatform.engine.tensor.GgmlType;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code llmp info}: what a model file is and the memory it needs, before loading it. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Describe a GGUF model: architecture, parameters, tensor types, context, chat template, memory needs.")
public final class InfoCommand implements Callable<Integer> {
    @Mixin
    ModelFileOption model;

    @Option(names = "--ctx", paramLabel = "TOKENS", description = "Context length to size the KV cache for (default: the model's).")
    Long ctx;

    @Mixin
    KvTypeOption kvType;

    @Override
    public Integer call() {
        GgmlType kv = kvType.type().ggmlType();
        try (GgufFile file = GgufFile.open(model.path())) {
            GgufSummary s = GgufSummary.of(file, kv);
            long context = ctx != null ? ctx : s.contextLength();
            if (context <= 0) {
                throw new IllegalArgumentException("--ctx must be positive");
            }
            print(System.out, file, s, context);
        }
        return 0;
    }

    private static void print(PrintStream out, GgufFile file, GgufSummary s, long context) {
        out.printf("file          %s (GGUF v%d)%n", file.path(), file.version());
        out.printf("architecture  %s%s%n", s.architecture(), s.name() != null ? "  (" + s.name() + ")" : "");
        out.printf("parameters    %,d (%s)%n", s.parameterCount(), humanCount(s.parameterCount()));
        out.printf("layers        %d, embedding %d, heads %d, KV heads %d, head dim %d/%d%n",
                s.layers(), s.embeddingLength(), s.headCount(), s.kvHeadCount(), s.keyLength(), s.valueLength());
        out.printf("context       %,d tokens (trained)%n", s.contextLength());
        out.printf("vocabulary    %,d tokens (%s)%n", s.vocabularySize(), s.tokenizerModel());
        out.printf("chat template %s%n", s.chatTemplate() == null
                ? "none in the file; built-in '" + ChatTemplates.guessFallback(file.metadata()) + "' is used"
                : s.chatTemplate().length() + " characters");
        out.println("tensor types");
        s.weightBytesByType().forEach((type, bytes) -> out.printf("  %-8s %s%n", type, humanBytes(bytes)));
        out.printf("memory for a context of %,d tokens:%n", context);
        out.printf("  %-24s %s%n", "weights (loaded)", humanBytes(s.residentWeightBytes()));
        out.printf("  %-24s %s  (%s per token)%n", "KV cache (" + s.kvType() + ")", humanBytes(s.kvBytes(context)),
                humanBytes(s.kvBytesPerToken()));
        if (s.kvType() == GgmlType.Q8_0 && (s.keyLength() % 32 != 0 || s.valueLength() % 32 != 0)) {
            out.printf("  (a Q8_0 KV cache needs head dims that are multiples of 32: this model would refuse it)%n");
        }
        out.printf("  %-24s %s%n", "buffers", humanBytes(s.scratchBytes()));
        out.printf("  %-24s %s%n", "estimated total RAM", humanBytes(s.estimatedRamBytes(context)));
    }

    static String humanBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f %s", v, units[u]);
    }

    static String humanCount(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f B", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.2f M", n / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f K", n / 1e3);
    }
}
