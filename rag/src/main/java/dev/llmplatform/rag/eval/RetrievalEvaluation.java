package dev.llmplatform.rag.eval;

import dev.llmplatform.rag.RagService;
import dev.llmplatform.rag.retrieval.SearchHit;
import dev.llmplatform.rag.retrieval.SearchMode;
import dev.llmplatform.rag.retrieval.SearchRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * nDCG@10 and recall@100 of each search mode over a BEIR set already ingested into a collection, as BEIR
 * computes them (document-level: a document ranks where its best chunk ranks), plus the per-query latency
 * of each mode (query embedding included).
 */
public final class RetrievalEvaluation {
    private RetrievalEvaluation() {
    }

    /** One mode's scores, averaged over the queries. */
    public record ModeResult(double ndcg10, double recall100, int queries, double p50Millis, double p95Millis) {
    }

    public static Map<SearchMode, ModeResult> evaluate(RagService rag, String collection, BeirDataset data,
                                                       List<SearchMode> modes, SearchRequest.Fusion fusion) {
        Map<SearchMode, ModeResult> out = new LinkedHashMap<>();
        for (SearchMode mode : modes) {
            double ndcg = 0;
            double recall = 0;
            double[] millis = new double[data.queries().size()];
            int q = 0;
            for (Map.Entry<String, String> query : data.queries().entrySet()) {
                SearchRequest request = new SearchRequest(query.getValue(), mode, 100, null, null, null, true, fusion);
                long t0 = System.nanoTime();
                List<SearchHit> hits = rag.search(collection, request);
                millis[q++] = (System.nanoTime() - t0) / 1e6;
                List<String> ranking = new ArrayList<>(new LinkedHashSet<>(hits.stream().map(SearchHit::documentId).toList()));
                Map<String, Integer> relevant = data.qrels().get(query.getKey());
                ndcg += ndcgAt(ranking, relevant, 10);
                recall += recallAt(ranking, relevant, 100);
            }
            int n = data.queries().size();
            Arrays.sort(millis);
            out.put(mode, new ModeResult(ndcg / n, recall / n, n, percentile(millis, 0.50), percentile(millis, 0.95)));
        }
        return out;
    }

    /** Normalised discounted cumulative gain with graded relevance and log2(rank + 1) discounts. */
    public static double ndcgAt(List<String> ranking, Map<String, Integer> relevant, int k) {
        double dcg = 0;
        for (int i = 0; i < Math.min(k, ranking.size()); i++) {
            dcg += relevant.getOrDefault(ranking.get(i), 0) / log2(i + 2);
        }
        List<Integer> ideal = relevant.values().stream().sorted((a, b) -> b - a).toList();
        double idcg = 0;
        for (int i = 0; i < Math.min(k, ideal.size()); i++) {
            idcg += ideal.get(i) / log2(i + 2);
        }
        return idcg == 0 ? 0 : dcg / idcg;
    }

    public static double recallAt(List<String> ranking, Map<String, Integer> relevant, int k) {
        if (relevant.isEmpty()) {
            return 0;
        }
        long found = ranking.stream().limit(k).filter(relevant::containsKey).count();
        return (double) found / relevant.size();
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
