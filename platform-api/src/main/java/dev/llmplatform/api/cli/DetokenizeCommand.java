package dev.llmplatform.api.cli;

import dev.llmplatform.engine.tokenizer.Tokenizer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code llmp detokenize}: the text token ids stand for. */
@Command(name = "detokenize", mixinStandardHelpOptions = true,
        description = "Decode token ids to text with a model's tokenizer (control tokens print as nothing).")
public final class DetokenizeCommand implements Callable<Integer> {
    @Mixin
    ModelFileOption model;

    @Option(names = "--ids", required = true, paramLabel = "IDS",
            description = "Token ids separated by commas or spaces; a JSON array as printed by tokenize works too.")
    String ids;

    @Override
    public Integer call() {
        int[] tokens = parseIds(ids);
        Tokenizer tokenizer = CliTokenizers.load(model.path());
        for (int id : tokens) {
            if (id < 0 || id >= tokenizer.vocabularySize()) {
                throw new IllegalArgumentException("--ids: token id " + id + " is outside the vocabulary (size "
                        + tokenizer.vocabularySize() + ")");
            }
        }
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        out.println(tokenizer.decode(tokens));
        out.flush();
        return 0;
    }

    static int[] parseIds(String text) {
        String body = text.strip();
        if (body.startsWith("[") && body.endsWith("]")) {
            body = body.substring(1, body.length() - 1);
        }
        if (body.isBlank()) {
            return new int[0];
        }
        try {
            return Arrays.stream(body.strip().split("[,\\s]+")).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--ids must be token ids separated by commas (got '" + text + "')");
        }
    }
}
