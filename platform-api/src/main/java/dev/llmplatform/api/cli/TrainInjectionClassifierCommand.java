package dev.llmplatform.api.cli;

import dev.llmplatform.engine.encoder.SentenceEmbedder;
import dev.llmplatform.guardrails.CachingEmbedder;
import dev.llmplatform.guardrails.eval.InjectionEvaluation;
import dev.llmplatform.guardrails.injection.InjectionClassifier;
import dev.llmplatform.guardrails.injection.InjectionRuleDetector;
import dev.llmplatform.guardrails.injection.InjectionTrainer;
import dev.llmplatform.guardrails.injection.LabeledText;
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
 * all-MiniLM-L6-v2 embeddings) on the given rows plus the examples bundled with the guardrails, reports
 * k-fold cross-validation on the given rows, and writes the weights.
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
        List<LabeledText> bundled = LabeledText.bundledExamples();
        PrintWriter w = spec.commandLine().getOut();
        w.println("embedding " + (rows.size() + bundled.size()) + " rows with " + SentenceEmbedder.DEFAULT_MODEL + " ...");
        w.flush();
        CachingEmbedder embedder = new CachingEmbedder(SentenceEmbedder.loadDefault()::embed);
        InjectionTrainer trainer = new InjectionTrainer(embedder);
        double[] p = trainer.crossValidate(rows, bundled, folds, seed);
        InjectionRuleDetector rules = new InjectionRuleDetector();
        InjectionEvaluation.Result cv = InjectionEvaluation.evaluate(rows,
                i -> p[i] >= InjectionTrainer.THRESHOLD || !rules.detect(rows.get(i).text()).isEmpty());
        InjectionEvaluation.Result cvClassifierOnly = InjectionEvaluation.evaluate(rows, i -> p[i] >= InjectionTrainer.THRESHOLD);
        w.println(folds + "-fold cross-validation on " + rows.size() + " rows (" + cv.attacks() + " attacks, " + cv.benign() + " benign):");
        w.println("  rules + classifier: detection " + GuardrailsCliSupport.pct(cv.detectionRate()) + ", false positives "
                + GuardrailsCliSupport.pct(cv.falsePositiveRate()));
        w.println("  classifier alone:   detection " + GuardrailsCliSupport.pct(cvClassifierOnly.detectionRate())
                + ", false positives " + GuardrailsCliSupport.pct(cvClassifierOnly.falsePositiveRate()));
        List<LabeledText> all = new ArrayList<>(rows);
        all.addAll(bundled);
        Map<String, Object> provenance = trainer.provenance(
                String.join(" + ", data.stream().map(d -> d.getFileName().toString()).toList()) + " + bundled training-examples.jsonl",
                all.size(), (int) all.stream().filter(LabeledText::attack).count(),
                "llmp train-injection-classifier --data <files> --out <file> --folds " + folds + " --seed " + seed);
        provenance.put("cv_detection_rate", cv.detectionRate());
        provenance.put("cv_false_positive_rate", cv.falsePositiveRate());
        InjectionClassifier model = trainer.train(all, provenance);
        model.write(out);
        w.println("wrote " + out + " (threshold " + model.threshold() + ")");
        Map<String, Object> last = new LinkedHashMap<>();
        last.put("detection_rate", cv.detectionRate());
        last.put("false_positive_rate", cv.falsePositiveRate());
        last.put("rows", cv.rows());
        last.put("out", out.toString());
        w.println(new ObjectMapper().writeValueAsString(last));
        w.flush();
        return 0;
    }
}
