package dev.llmplatform.rag.store.lucene;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;

/**
 * The BM25 field's analysis: Lucene's English analyzer (standard tokenizer, possessive removal, lower
 * case, English stop words, Porter stemming), the usual choice for English BM25 baselines.
 */
final class Analyzers {
    private Analyzers() {
    }

    static Analyzer english() {
        return new EnglishAnalyzer();
    }
}
