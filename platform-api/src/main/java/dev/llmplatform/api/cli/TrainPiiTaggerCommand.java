package dev.llmplatform.api.cli;

import dev.llmplatform.engine.encoder.SentenceEmbedder;
import dev.llmplatform.guardrails.pii.ContextualHeadTrainer;
import dev.llmplatform.guardrails.pii.PiiTaggerTrainer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code llmp train-pii-tagger}: trains the PII sequence tagger on synthetic sentences generated from the
 * guardrails' own templates and datafaker's generators (no evaluation data is read) and writes its weights.
 * The same seed and sizes give the same bytes. With {@code --context-head} it trains the tagger's contextual head
 * instead: a softmax over the bundled MiniLM's token states, used by policies that run the encoder.
 */
@Command(name = "train-pii-tagger", mixinStandardHelpOptions = true,
        description = {"Train the PII tagger (averaged structured perceptron over BIO tags, Viterbi-decoded) on generated sentences and write its weights.",
                "The shipped weights: guardrails/src/main/resources/dev/llmplatform/guardrails/pii/pii-tagger.bin.gz.",
                "With --context-head: the contextual head over the bundled MiniLM's token states instead (shipped as pii-context-head.bin.gz;",
                "trained with --context-head --sentences 6000 --epochs 3 --layers 1 --weight 4 --seed 42).",
                "The last line is one JSON object: {\"sentences\",\"epochs\",\"seed\",\"tokens\",\"held_out_token_accuracy\",\"out\"}."})
public final class TrainPiiTaggerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "FILE.bin.gz", required = true, description = "Where to write the weights.")
    Path out;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated sentences and the training order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--sentences", defaultValue = "40000", description = "Generated training sentences (default: ${DEFAULT-VALUE}).")
    int sentences;

    @Option(names = "--epochs", defaultValue = "5", description = "Passes over the sentences (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--context-head", description = "Train the contextual head (softmax over MiniLM token states) instead of the tagger.")
    boolean contextHead;

    @Option(names = "--layers", defaultValue = "1", description = "With --context-head: encoder blocks the token states come from, 1..6 (default: ${DEFAULT-VALUE}, the injection classifier's depth, so the two share one pass).")
    int layers;

    @Option(names = "--weight", defaultValue = "4", description = "With --context-head: scale of its log-probabilities in the tagger's scores (default: ${DEFAULT-VALUE}).")
    double weight;

    @Override
    public Integer call() throws IOException {
        if (sentences < 1 || epochs < 1) {
            throw new ParameterException(spec.commandLine(), "--sentences and --epochs must be at least 1");
        }
        if (contextHead && (layers < 1 || layers > 6 || !(weight > 0))) {
            throw new ParameterException(spec.commandLine(), "--layers must be 1..6 and --weight positive");
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new ParameterException(spec.commandLine(), "--out " + out + ": no such directory " + parent);
        }
        PrintWriter w = spec.commandLine().getOut();
        if (contextHead) {
            return trainContextHead(w);
        }
        w.println("training on " + sentences + " generated sentences, " + epochs + " epochs, seed " + seed + " ...");
        w.flush();
        PiiTaggerTrainer.Result r = new PiiTaggerTrainer().train(new PiiTaggerTrainer.Settings(sentences, epochs, seed));
        try (OutputStream o = Files.newOutputStream(out)) {
            PiiTaggerTrainer.write(r.tagger(), o);
        }
        return report(w, settings(), r.trainTokens(), r.heldOutTokenAccuracy());
    }

    private int trainContextHead(PrintWriter w) throws IOException {
        w.println("training the contextual head on " + sentences + " generated sentences, " + epochs + " epochs, " + layers + " encoder blocks, seed "
                + seed + " ...");
        w.flush();
        ContextualHeadTrainer.Result r;
        try (SentenceEmbedder encoder = SentenceEmbedder.loadDefault()) {
            r = new ContextualHeadTrainer(encoder).train(new ContextualHeadTrainer.Settings(sentences, epochs, seed, layers, weight));
        }
        try (OutputStream o = Files.newOutputStream(out)) {
            ContextualHeadTrainer.write(r.head(), o);
        }
        Map<String, Object> settings = settings();
        settings.put("layers", layers);
        settings.put("weight", weight);
        return report(w, settings, r.trainTokens(), r.heldOutTokenAccuracy());
    }

    /** The settings both trainings share, in the summary's order. */
    private Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("sentences", sentences);
        settings.put("epochs", epochs);
        settings.put("seed", seed);
        return settings;
    }

    /** The human line, then the JSON summary: {@code settings}, tokens, held-out accuracy, the file written. */
    private int report(PrintWriter w, Map<String, Object> settings, int tokens, double heldOutAccuracy) throws IOException {
        w.println("wrote " + out + " (" + Files.size(out) + " bytes); token accuracy on 500 held-out generated sentences: "
                + GuardrailsCliSupport.pct(heldOutAccuracy));
        Map<String, Object> last = new LinkedHashMap<>(settings);
        last.put("tokens", tokens);
        last.put("held_out_token_accuracy", heldOutAccuracy);
        last.put("out", out.toString());
        w.println(new ObjectMapper().writeValueAsString(last));
        w.flush();
        return 0;
    }
}
