package dev.llmplatform.structured.gbnf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Sets of code points as sorted, merged, inclusive {@code [lo, hi]} pairs in a flat array. */
public final class CodePointSets {
    private CodePointSets() {
    }

    /** Sorted, merged inclusive ranges; complemented over all code points when negated. */
    public static int[] normalize(int[] ranges, boolean negated) {
        int n = ranges.length / 2;
        int[][] pairs = new int[n][];
        for (int i = 0; i < n; i++) {
            pairs[i] = new int[] {ranges[2 * i], ranges[2 * i + 1]};
        }
        Arrays.sort(pairs, (a, b) -> Integer.compare(a[0], b[0]));
        List<int[]> merged = new ArrayList<>();
        for (int[] p : pairs) {
            if (!merged.isEmpty() && p[0] <= merged.getLast()[1] + 1) {
                merged.getLast()[1] = Math.max(merged.getLast()[1], p[1]);
            } else {
                merged.add(p.clone());
            }
        }
        if (negated) {
            List<int[]> comp = new ArrayList<>();
            int next = 0;
            for (int[] p : merged) {
                if (p[0] > next) {
                    comp.add(new int[] {next, p[0] - 1});
                }
                next = p[1] + 1;
            }
            if (next <= Character.MAX_CODE_POINT) {
                comp.add(new int[] {next, Character.MAX_CODE_POINT});
            }
            merged = comp;
        }
        int[] flat = new int[merged.size() * 2];
        for (int i = 0; i < merged.size(); i++) {
            flat[2 * i] = merged.get(i)[0];
            flat[2 * i + 1] = merged.get(i)[1];
        }
        return flat;
    }


    /** {@code a} minus {@code b}; both normalized. */
    public static int[] subtract(int[] a, int[] b) {
        int[] notB = normalize(b, true);
        return intersect(a, notB);
    }

    public static int[] intersect(int[] a, int[] b) {
        List<Integer> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.length && j < b.length) {
            int lo = Math.max(a[i], b[j]);
            int hi = Math.min(a[i + 1], b[j + 1]);
            if (lo <= hi) {
                out.add(lo);
                out.add(hi);
            }
            if (a[i + 1] < b[j + 1]) {
                i += 2;
            } else {
                j += 2;
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    public static boolean contains(int[] set, int cp) {
        for (int i = 0; i < set.length; i += 2) {
            if (cp >= set[i] && cp <= set[i + 1]) {
                return true;
            }
        }
        return false;
    }
}
