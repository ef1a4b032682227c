package dev.llmplatform.guardrails.eval;

import dev.llmplatform.guardrails.injection.LabeledText;
import java.util.List;
import java.util.function.Predicate;

/** Detection rate (attacks caught) and false-positive rate (benign rows flagged) of an injection detector. */
public final class InjectionEvaluation {
    public record Result(double detectionRate, double falsePositiveRate, int rows, int attacks, int benign) {
    }

    private InjectionEvaluation() {
    }

    public static Result evaluate(List<LabeledText> rows, Predicate<Integer> flagged) {
        int attacks = 0;
        int caught = 0;
        int benign = 0;
        int falseAlarms = 0;
        for (int i = 0; i < rows.size(); i++) {
            boolean hit = flagged.test(i);
            if (rows.get(i).attack()) {
                attacks++;
                caught += hit ? 1 : 0;
            } else {
                benign++;
                falseAlarms += hit ? 1 : 0;
            }
        }
        return new Result(attacks == 0 ? 0 : (double) caught / attacks, benign == 0 ? 0 : (double) falseAlarms / benign,
                rows.size(), attacks, benign);
    }
}
