package dev.llmplatform.api.cli;

import dev.llmplatform.engine.Engine;
import dev.llmplatform.engine.runtime.TokenLogprob;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code llmp score}: teacher-forced log-probabilities of a token sequence, for checking the engine
 * against a reference. The last line of output is JSON: entry i holds the top tokens of the
 * log-softmax after {@code tokens[0..i]}.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Print the top next-token log-probabilities after each prefix of a token sequence (JSON).")
public final class ScoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelFileOption model;

    @Option(names = "--tokens", required = true, split = ",", paramLabel = "ID[,ID...]", description = "Token ids, comma-separated.")
    int[] tokens;

    @Option(names = "--top", defaultValue = "5", description = "Alternatives per position (default ${DEFAULT-VALUE}).")
    int top;

    @Mixin
    KvTypeOption kvType;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() {
        Path modelFile = model.path();
        if (tokens.length == 0) {
            throw new ParameterException(spec.commandLine(), "--tokens needs at least one id");
        }
        if (top < 1) {
            throw new ParameterException(spec.commandLine(), "--top must be at least 1 (got " + top + ")");
        }
        int threadCount = threads.count();
        try (Engine engine = Engine.load(modelFile, threadCount)) {
            int vocab = engine.model().vocabularySize();
            for (int id : tokens) {
                if (id < 0 || id >= vocab) {
                    throw new ParameterException(spec.commandLine(), "token id " + id + " is outside the vocabulary (0.." + (vocab - 1) + ")");
                }
            }
            List<List<TokenLogprob>> positions = engine.score(tokens, top, kvType.type());
            spec.commandLine().getOut().println(toJson(positions));
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    static String toJson(List<List<TokenLogprob>> positions) {
        StringBuilder b = new StringBuilder("{\"positions\":[");
        for (int i = 0; i < positions.size(); i++) {
            b.append(i == 0 ? "" : ",").append("{\"top\":[");
            List<TokenLogprob> top = positions.get(i);
            for (int j = 0; j < top.size(); j++) {
                b.append(j == 0 ? "" : ",")
                        .append("{\"id\":").append(top.get(j).id())
                        .append(",\"logprob\":").append(String.format(Locale.ROOT, "%.6f", top.get(j).logprob()))
                        .append('}');
            }
            b.append("]}");
        }
        return b.append("]}").toString();
    }
}
