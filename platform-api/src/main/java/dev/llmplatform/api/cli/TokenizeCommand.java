package dev.llmplatform.api.cli;

import dev.llmplatform.engine.tokenizer.Tokenizer;
import dev.llmplatform.engine.tokenizer.Tokenizers;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code llmp tokenize}: the token ids a model's tokenizer gives a text. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Tokenize a text with a model's tokenizer: one line per token (id, the bytes it stands for, "
                + "its vocabulary text), "
                + "then the ids as a JSON array on the last line.")
public final class TokenizeCommand implements Callable<Integer> {
    @Mixin
    ModelFileOption model;

    @Option(names = "--text", required = true, paramLabel = "TEXT", description = "The text to tokenize.")
    String text;

    @Option(names = "--special", description = "Recognise special tokens written in the text (e.g. <|im_start|>).")
    boolean special;

    @Option(names = "--add-bos", description = "Add BOS (and EOS) as the model's metadata asks, as for a whole prompt.")
    boolean addBos;

    @Override
    public Integer call() {
        Tokenizer tokenizer = CliTokenizers.load(model.path());
        int[] ids = addBos ? Tokenizers.encodeWithSpecials(tokenizer, text, special) : tokenizer.encode(text, special);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        for (int id : ids) {
            out.printf("%8d  %-24s %s%n", id, CliTokenizers.pieceLiteral(tokenizer.tokenBytes(id)),
                    CliTokenizers.jsonString(tokenizer.tokenText(id)));
        }
        out.println(Arrays.toString(ids));
        out.flush();
        return 0;
    }
}
