package dev.llmplatform.api.cli;

import dev.llmplatform.guardrails.CachingEmbedder;
import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.Decision;
import dev.llmplatform.guardrails.EmbeddedText;
import dev.llmplatform.guardrails.EncoderTextEmbedder;
import dev.llmplatform.guardrails.Finding;
import dev.llmplatform.guardrails.GuardSession;
import dev.llmplatform.guardrails.Guardrails;
import dev.llmplatform.guardrails.RequestContext;
import dev.llmplatform.guardrails.audit.AuditSink;
import dev.llmplatform.guardrails.eval.InjectionEvaluation;
import dev.llmplatform.guardrails.eval.PiiEvaluation;
import dev.llmplatform.guardrails.injection.InjectionClassifier;
import dev.llmplatform.guardrails.injection.InjectionRuleDetector;
import dev.llmplatform.guardrails.injection.InjectionTrainer;
import dev.llmplatform.guardrails.injection.LabeledText;
import dev.llmplatform.guardrails.injection.LexicalFeatures;
import dev.llmplatform.guardrails.pii.PiiDetector;
import dev.llmplatform.guardrails.policy.DetectorName;
import dev.llmplatform.guardrails.policy.Policy;
import dev.llmplatform.guardrails.policy.PolicySet;
import dev.llmplatform.guardrails.policy.Rail;
import dev.llmplatform.guardrails.text.TextNormalizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.ObjectMapper;

/** {@code llmp eval-guardrails}: measures the injection rail or the PII detector on a labelled set. */
@Command(name = "eval-guardrails", mixinStandardHelpOptions = true,
        description = {"Measure the guardrails on a labelled set.",
                "--injection FILE.jsonl: lines {\"text\",\"label\"} (label 'benign', anything else an attack); prints the"
                        + " detection rate and false-positive rate of the policy's input rail (rules and classifier).",
                "--pii FILE.json: the Presidio format; prints precision and recall overall and per entity type.",
                "With --json the last line is {\"detection_rate\",\"false_positive_rate\",\"rows\"} or"
                        + " {\"overall\":{\"precision\",\"recall\"},\"per_entity\":{TYPE:{\"precision\",\"recall\",\"support\"}}}."})
public final class EvalGuardrailsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    static final class Set {
        @Option(names = "--injection", paramLabel = "FILE.jsonl", required = true)
        Path injection;
        @Option(names = "--pii", paramLabel = "FILE.json", required = true)
        Path pii;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Set set;

    @Option(names = "--json", description = "Print the result as one JSON object on the last line.")
    boolean json;

    @Option(names = "--policy", defaultValue = "default", description = "The policy whose detectors and thresholds are measured (default: ${DEFAULT-VALUE}).")
    String policyName;

    @Option(names = "--policies-file", paramLabel = "FILE.yaml", description = "Policies to read instead of the built-in ones.")
    Path policiesFile;

    @Option(names = "--cross-validate", paramLabel = "K", description = {"Injection only: instead of the shipped classifier,"
            + " score every row with a classifier trained (with the bundled examples) on the other K-1 folds of this file.",
            "Use it for any set the shipped classifier was trained on (the shared deepset rows)."})
    Integer folds;

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public Integer call() throws IOException {
        PolicySet policies = GuardrailsCliSupport.policies(policiesFile);
        Policy policy;
        try {
            policy = policies.get(policyName);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--policy: " + e.getMessage());
        }
        Path file = set.injection != null ? set.injection : set.pii;
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(spec.commandLine(), (set.injection != null ? "--injection " : "--pii ") + file + ": no such file");
        }
        if (set.pii != null && folds != null) {
            throw new ParameterException(spec.commandLine(), "--cross-validate applies to --injection only");
        }
        return set.injection != null ? injection(file, policies, policy) : pii(file, policy);
    }

    private static List<Integer> shippedLayerCandidates() {
        InjectionClassifier shipped = InjectionClassifier.loadDefault();
        if (shipped.provenance().get("encoder_layer_candidates") instanceof List<?> candidates && !candidates.isEmpty()) {
            return candidates.stream().map(c -> ((Number) c).intValue()).toList();
        }
        return List.of(shipped.encoderLayers());
    }

    private int injection(Path file, PolicySet policies, Policy policy) throws IOException {
        List<LabeledText> rows = LabeledText.readJsonl(file);
        if (rows.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--injection " + file + ": no rows");
        }
        PrintWriter w = spec.commandLine().getOut();
        InjectionEvaluation.Result r;
        if (folds != null) {
            if (folds < 2 || folds > rows.size()) {
                throw new ParameterException(spec.commandLine(), "--cross-validate must be between 2 and the number of rows (" + rows.size() + ")");
            }
            // The encoder depths the shipped weights chose from, so the figure is that of the deployed recipe.
            InjectionTrainer.CrossValidation cv = new InjectionTrainer(new CachingEmbedder(EncoderTextEmbedder.loadDefault()),
                    LexicalFeatures.DEFAULT_DIMS, shippedLayerCandidates())
                    .crossValidate(rows, LabeledText.bundledExamples(), folds, 42);
            Double fixed = policy.classifierThreshold();
            InjectionRuleDetector rules = new InjectionRuleDetector();
            TextNormalizer normalizer = new TextNormalizer();
            r = InjectionEvaluation.evaluate(rows, i -> (fixed == null ? cv.flagged(i) : cv.probability()[i] >= fixed)
                    || !rules.detect(normalizer.normalize(rows.get(i).text()).text()).isEmpty());
            w.println(folds + "-fold nested cross-validated classifier (threshold " + (fixed == null
                    ? "chosen inside each training split" : "fixed by the policy at " + fixed) + ") + rules:");
            cv.folds().forEach(f -> w.println("  " + f));
            w.println("  lexical gate: the encoder ran on " + GuardrailsCliSupport.pct(cv.encodedShare(rows, false))
                    + " of the benign rows and " + GuardrailsCliSupport.pct(cv.encodedShare(rows, true)) + " of the attacks");
        } else {
            Guardrails guardrails = Guardrails.withDefaultModels(policies, AuditSink.DISCARD);
            r = InjectionEvaluation.evaluate(rows, i -> {
                GuardSession s = guardrails.session(policy.name(), new RequestContext(null, "eval-guardrails"));
                Decision d = s.checkInput(rows.get(i).text());
                return d.findings().stream().anyMatch(f -> Category.family(f.category()).equals("INJECTION"));
            });
            w.println("policy '" + policy.name() + "', input rail" + (policy.usesEmbeddings()
                    ? " (shipped classifier " + InjectionClassifier.RESOURCE + "; not valid on rows it was trained on)" : " (rules only)") + ":");
        }
        w.println("  rows " + r.rows() + " (" + r.attacks() + " attacks, " + r.benign() + " benign)");
        w.println("  detection rate      " + GuardrailsCliSupport.pct(r.detectionRate()));
        w.println("  false-positive rate " + GuardrailsCliSupport.pct(r.falsePositiveRate()));
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("detection_rate", r.detectionRate());
            o.put("false_positive_rate", r.falsePositiveRate());
            o.put("rows", r.rows());
            w.println(mapper.writeValueAsString(o));
        }
        w.flush();
        return 0;
    }

    private int pii(Path file, Policy policy) throws IOException {
        List<PiiEvaluation.Sample> samples = PiiEvaluation.read(file);
        // As deployed: where the policy's input rail runs the encoder, PII adds the tagger's contextual head.
        java.util.Set<DetectorName> input = policy.detectors(Rail.INPUT);
        boolean encoder = input.contains(DetectorName.INJECTION_CLASSIFIER) || input.contains(DetectorName.TOPICS) && !policy.topics().isEmpty();
        EncoderTextEmbedder embedder = encoder ? EncoderTextEmbedder.loadDefault() : null;
        PiiDetector detector = embedder == null ? new PiiDetector() : PiiDetector.withEncoder(embedder.encoder());
        TextNormalizer normalizer = new TextNormalizer();
        PiiEvaluation.Result r;
        try {
            r = PiiEvaluation.evaluate(samples, text -> {
                // The set's offsets refer to the raw text; the normaliser only changes texts with invisible characters.
                String n = normalizer.normalize(text).text();
                String checked = n.length() == text.length() ? n : text;
                List<Finding> found = embedder == null || checked.isBlank() ? detector.detect(checked)
                        : detector.detect(new EmbeddedText(checked, embedder));
                return found.stream().filter(f -> f.score() >= policy.threshold(f.category())).toList();
            });
        } finally {
            if (embedder != null) {
                embedder.encoder().close();
            }
        }
        PrintWriter w = spec.commandLine().getOut();
        w.println("PII on " + r.samples() + " texts, policy '" + policy.name() + "' thresholds, "
                + (encoder ? "rules + tagger + contextual head (MiniLM token states):" : "rules + tagger:"));
        w.printf("  %-18s %9s %9s %8s%n", "entity", "precision", "recall", "support");
        r.perEntity().forEach((type, c) -> w.printf("  %-18s %9s %9s %8d%n", type,
                c.findings() == 0 ? "-" : GuardrailsCliSupport.pct(c.precision()), GuardrailsCliSupport.pct(c.recall()), c.gold()));
        w.printf("  %-18s %9s %9s %8d%n", "overall", GuardrailsCliSupport.pct(r.overall().precision()),
                GuardrailsCliSupport.pct(r.overall().recall()), r.overall().gold());
        if (json) {
            Map<String, Object> overall = new LinkedHashMap<>();
            overall.put("precision", r.overall().precision());
            overall.put("recall", r.overall().recall());
            Map<String, Object> per = new LinkedHashMap<>();
            r.perEntity().forEach((type, c) -> {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("precision", c.precision());
                e.put("recall", c.recall());
                e.put("support", c.gold());
                per.put(type, e);
            });
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("overall", overall);
            o.put("per_entity", per);
            w.println(mapper.writeValueAsString(o));
        }
        w.flush();
        return 0;
    }
}
