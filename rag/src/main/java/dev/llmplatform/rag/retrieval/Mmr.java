package dev.llmplatform.rag.retrieval;

import java.util.ArrayList;
import java.util.List;

/**
 * Maximal marginal relevance (Carbonell and Goldstein 1998): repeatedly picks the candidate maximising
 * {@code λ·sim(query, d) − (1 − λ)·max sim(d, picked)}, with cosine similarities of the stored vectors.
 * The hits keep their original scores; only the order changes.
 */
final class Mmr {
    private Mmr() {
    }

    static List<Retriever.Scored> rerank(List<Retriever.Scored> candidates, float[] query, double lambda, int k) {
        List<Retriever.Scored> left = new ArrayList<>(candidates);
        List<Retriever.Scored> picked = new ArrayList<>();
        double[] maxSimToPicked = new double[left.size()];
        double[] relevance = new double[left.size()];
        for (int i = 0; i < left.size(); i++) {
            relevance[i] = dot(query, left.get(i).chunk().vector());
            maxSimToPicked[i] = Double.NEGATIVE_INFINITY;
        }
        boolean[] used = new boolean[left.size()];
        while (picked.size() < Math.min(k, left.size())) {
            int best = -1;
            double bestValue = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < left.size(); i++) {
                if (used[i]) {
                    continue;
                }
                double redundancy = picked.isEmpty() ? 0 : maxSimToPicked[i];
                double value = lambda * relevance[i] - (1 - lambda) * redundancy;
                if (value > bestValue) {
                    bestValue = value;
                    best = i;
                }
            }
            used[best] = true;
            Retriever.Scored chosen = left.get(best);
            picked.add(chosen);
            for (int i = 0; i < left.size(); i++) {
                if (!used[i]) {
                    maxSimToPicked[i] = Math.max(maxSimToPicked[i], dot(chosen.chunk().vector(), left.get(i).chunk().vector()));
                }
            }
        }
        return picked;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
