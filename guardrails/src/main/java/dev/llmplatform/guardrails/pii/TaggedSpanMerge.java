package dev.llmplatform.guardrails.pii;

import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How the tagger's spans join the rules' findings. A rule with its own evidence (checksum, pattern, context
 * words, list) at or above {@link PiiTagger#SCORE} decides where it fired, so a tagged span overlapping such a
 * finding is normally dropped. The exception is a tagged span that <em>contains</em> rule findings which can be
 * parts of an entity of its type: a whole postal address holds a street, a city, a state and a postcode, each
 * of which a rule reports alone ("12 Rue de la Paix", "Lyon", "75002"); an organisation may be named after a
 * person or a place ("Smith Analytics", "Bank of Ireland"); a three-part name holds the two parts a list
 * knows. There the rules saw pieces and the tagger the whole, so the whole replaces the pieces, at the
 * strongest piece's score. Parts that reach outside the span, or of other types (a card number inside an
 * "address"), keep the rules' answer.
 */
final class TaggedSpanMerge {
    /** The rule categories that may stand inside a tagged span of each type. */
    private static final Map<String, Set<String>> PARTS = Map.of(
            Category.STREET_ADDRESS, Set.of(Category.STREET_ADDRESS, Category.GPE, Category.ZIP_CODE, Category.PERSON),
            Category.ORGANIZATION, Set.of(Category.ORGANIZATION),
            Category.PERSON, Set.of(Category.PERSON),
            Category.GPE, Set.of(Category.GPE));

    private TaggedSpanMerge() {
    }

    /**
     * The rules' findings with the tagged spans merged in; overlaps are left for
     * {@link dev.llmplatform.guardrails.Findings#resolveOverlaps}.
     *
     * @param plausible the checks a tagged span must pass (those a rule of its type would apply)
     */
    static List<Finding> merge(String text, List<Finding> rules, List<Finding> tagged, SpanCheck plausible) {
        List<Finding> out = new ArrayList<>(rules);
        for (Finding t : tagged) {
            if (!plausible.test(t.category(), text.substring(t.start(), t.end()))) {
                continue;
            }
            List<Finding> decided = rules.stream().filter(r -> r.score() >= PiiTagger.SCORE && r.overlaps(t)).toList();
            if (decided.isEmpty()) {
                out.add(t);
            } else if (decided.stream().allMatch(r -> isPart(r, t)) && wholeEnough(text, t, decided)) {
                double score = decided.stream().mapToDouble(Finding::score).max().orElseThrow();
                out.removeAll(decided);
                out.add(new Finding(t.category(), t.start(), t.end(), score, t.detector()));
            }
        }
        return out;
    }

    /**
     * An address replaces its parts only when it holds a house number or postcode, and replaces a town only
     * when it holds two groups of digits (house number and postcode): "12 Oak Avenue, Springfield" may be a
     * street and a separate town, "12 Oak Avenue, Springfield, IL 62704" is one postal address. (Asking for
     * the postcode right beside the town instead moved about 2 points of recall from addresses to places.)
     */
    private static boolean wholeEnough(String text, Finding tagged, List<Finding> parts) {
        if (!tagged.category().equals(Category.STREET_ADDRESS)) {
            return true;
        }
        long groups = DIGIT_GROUP.matcher(text.substring(tagged.start(), tagged.end())).results().count();
        boolean town = parts.stream().anyMatch(p -> p.category().equals(Category.GPE));
        return groups >= (town ? 2 : 1);
    }

    private static final Pattern DIGIT_GROUP = Pattern.compile("\\d+");

    private static boolean isPart(Finding rule, Finding tagged) {
        boolean inside = tagged.start() <= rule.start() && rule.end() <= tagged.end();
        boolean longer = tagged.end() - tagged.start() > rule.end() - rule.start();
        return inside && longer && PARTS.getOrDefault(tagged.category(), Set.of()).contains(rule.category());
    }

    /** A test of a tagged span's text by its category. */
    interface SpanCheck {
        boolean test(String category, String span);
    }
}
