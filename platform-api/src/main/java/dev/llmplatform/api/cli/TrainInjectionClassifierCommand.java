package dev.llmplatform.api.cli;

import dev.llmplatform.engine.encoder.SentenceEmbedder;
import dev.llmplatform.guardrails.CachingEmbedder;
import dev.llmplatform.guardrails.EncoderTextEmbedder;
import dev.llmplatform.guardrails.eval.InjectionEvaluation;
import dev.llmplatform.guardrails.injection.InjectionClassifier;
import dev.llmplatform.guardrails.injection.InjectionRuleDetector;
import dev.llmplatform.guardrails.injection.InjectionTrainer;
import dev.llmplatform.guardrails.injection.LabeledText;
import dev.llmplatform.guardrails.injection.LexicalFeatures;
import dev.llmplatform.guardrails.text.TextNormalizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code llmp train-injection-classifier}: fits the prompt-injection classifier (logistic regression over
 * all-MiniLM-L6-v2 embeddings and hashed lexical features, behind a lexical-only gate that spares clearly benign
 * windows the encoder) on the given rows plus the examples bundled with
 * the guardrails, reports nested k-fold cross-validation on the given rows, and writes the weights with the
 * threshold chosen by an inner cross-validation.
 */
@Command(name = "train-injection-classifier", mixinStandardHelpOptions = true,
        description = {"Train the prompt-injection classifier and report its cross-validated detection rate.",
                "Rows are JSON lines {\"text\", \"label\"} (label 'benign' or an attack label); the bundled examples"
                        + " (guardrails/src/main/resources/.../injection/training-examples.jsonl) are always added to training.",
                "The last line is one JSON object: {\"detection_rate\",\"false_positive_rate\",\"rows\",\"out\"}"
                        + " (cross-validated, rules OR classifier, on the --data rows)."})
public final class TrainInjectionClassifierCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "FILE.jsonl", required = true, description = "Labelled rows; repeat for several files.")
    List<Path> data = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE.json", required = true, description = "Where to write the weights.")
    Path out;

    @Option(names = "--folds", defaultValue = "5", description = "Cross-validation folds (default: ${DEFAULT-VALUE}).")
    int folds;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the fold assignment (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--embedding-only", description = "Leave out the lexical features (for comparison).")
    boolean embeddingOnly;

    @Option(names = "--encoder-layers", paramLabel = "K[,K...]", split = ",", defaultValue = DEFAULT_LAYER_CANDIDATES,
            description = {"Encoder depths to choose from by the inner cross-validation: the dense feature is the encoder's hidden"
                    + " state after its first K of 6 layers, mean-pooled (each layer left out saves a sixth of the encoder's time);"
                    + " 0 = all layers, the sentence embedding. Cheaper depths first: they win ties (default: ${DEFAULT-VALUE})."})
    List<Integer> encoderLayers;

    /** Depths the shipped weights choose from: those whose encoder pass fits the 15 ms latency goal for a 1 KB prompt. */
    static final String DEFAULT_LAYER_CANDIDATES = "1,2";

    @Override
    public Integer call() throws IOException {
        List<LabeledText> rows = new ArrayList<>();
        for (Path p : data) {
            if (!Files.isRegularFile(p)) {
                throw new ParameterException(spec.commandLine(), "--data " + p + ": no such file");
            }
            rows.addAll(LabeledText.readJsonl(p));
        }
        if (folds < 2 || folds > rows.size()) {
            throw new ParameterException(spec.commandLine(), "--folds must be between 2 and the number of rows (" + rows.size() + ")");
        }
        if (encoderLayers.stream().anyMatch(k -> k < 0 || k > 6)) {
            throw new ParameterException(spec.commandLine(), "--encoder-layers: each depth must be between 0 (all) and 6");
        }
        List<LabeledText> bundled = LabeledText.bundledExamples();
        PrintWriter w = spec.commandLine().getOut();
        w.println("embedding " + (rows.size() + bundled.size()) + " rows with " + SentenceEmbedder.DEFAULT_MODEL + " ...");
        w.flush();
        CachingEmbedder embedder = new CachingEmbedder(EncoderTextEmbedder.loadDefault());
        InjectionTrainer trainer = new InjectionTrainer(embedder, embeddingOnly ? 0 : LexicalFeatures.DEFAULT_DIMS, encoderLayers);
        InjectionTrainer.CrossValidation cv = trainer.crossValidate(rows, bundled, folds, seed);
        InjectionRuleDetector rules = new InjectionRuleDetector();
        TextNormalizer normalizer = new TextNormalizer();
        InjectionEvaluation.Result both = InjectionEvaluation.evaluate(rows,
                i -> cv.flagged(i) || !rules.detect(normalizer.normalize(rows.get(i).text()).text()).isEmpty());
        InjectionEvaluation.Result classifierOnly = InjectionEvaluation.evaluate(rows, cv::flagged);
        w.println(folds + "-fold nested cross-validation on " + rows.size() + " rows (" + both.attacks() + " attacks, "
                + both.benign() + " benign); L2 and threshold chosen inside each training split:");
        cv.folds().forEach(f -> w.println("  " + f));
        w.println("  rules + classifier: detection " + GuardrailsCliSupport.pct(both.detectionRate()) + ", false positives "
                + GuardrailsCliSupport.pct(both.falsePositiveRate()));
        w.println("  classifier alone:   detection " + GuardrailsCliSupport.pct(classifierOnly.detectionRate())
                + ", false positives " + GuardrailsCliSupport.pct(classifierOnly.falsePositiveRate()));
        if (!embeddingOnly) {
            w.println("  lexical gate: the encoder ran on " + GuardrailsCliSupport.pct(cv.encodedShare(rows, false))
                    + " of the benign rows and " + GuardrailsCliSupport.pct(cv.encodedShare(rows, true)) + " of the attacks");
        }
        List<LabeledText> all = new ArrayList<>(rows);
        all.addAll(bundled);
        Map<String, Object> provenance = trainer.provenance(
                String.join(" + ", data.stream().map(d -> d.getFileName().toString()).toList()) + " + bundled training-examples.jsonl",
                all.size(), (int) all.stream().filter(LabeledText::attack).count(),
                "llmp train-injection-classifier --data <files> --out <file> --folds " + folds + " --seed " + seed
                        + (embeddingOnly ? " --embedding-only" : "") + " --encoder-layers "
                        + String.join(",", encoderLayers.stream().map(String::valueOf).toList()));
        provenance.put("cv_detection_rate", both.detectionRate());
        provenance.put("cv_false_positive_rate", both.falsePositiveRate());
        InjectionClassifier model = trainer.train(rows, bundled, seed, provenance);
        model.write(out);
        w.println("wrote " + out + " (threshold " + model.threshold() + ")");
        Map<String, Object> last = new LinkedHashMap<>();
        last.put("detection_rate", both.detectionRate());
        last.put("false_positive_rate", both.falsePositiveRate());
        last.put("rows", both.rows());
        last.put("out", out.toString());
        w.println(new ObjectMapper().writeValueAsString(last));
        w.flush();
        return 0;
    }
}
