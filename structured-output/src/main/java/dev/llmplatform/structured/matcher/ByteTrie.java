package dev.llmplatform.structured.matcher;

import java.util.Arrays;

/**
 * A trie of byte strings flattened in pre-order: node {@code i}'s subtree is {@code [i, subtreeEnd[i])},
 * so a walk that finds a prefix dead skips all its extensions with one jump. Node 0 is the empty
 * prefix. Each node lists the ids whose string ends there ({@code firstId}/{@code nextId}), as several
 * tokens may share the same bytes (e.g. a byte-fallback token and a plain one).
 */
final class ByteTrie {
    final byte[] label;
    final int[] depth;
    final int[] subtreeEnd;
    final int[] firstId;
    /** Indexed by position in the id list given to the constructor's ids array: next id with the same bytes. */
    final int[] nextId;
    final int nodeCount;

    /**
     * @param strings byte strings; {@code ids[k]} is the id reported for {@code strings[k]}
     */
    ByteTrie(byte[][] strings, int[] ids, int maxId) {
        Integer[] order = new Integer[strings.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(strings[a], strings[b]));
        int capacity = 1;
        for (byte[] s : strings) {
            capacity += s.length;
        }
        byte[] lab = new byte[capacity];
        int[] dep = new int[capacity];
        int[] end = new int[capacity];
        int[] first = new int[capacity];
        Arrays.fill(first, -1);
        int[] next = new int[maxId + 1];
        Arrays.fill(next, -1);
        int[] lastAtNode = new int[capacity];
        int[] path = new int[64];
        int pathLen = 1; // path[0] = root
        int n = 1;
        byte[] prev = new byte[0];
        for (Integer k : order) {
            byte[] s = strings[k];
            int lcp = 0;
            while (lcp < s.length && lcp < prev.length && s[lcp] == prev[lcp]) {
                lcp++;
            }
            while (pathLen > lcp + 1) {
                end[path[--pathLen]] = n;
            }
            for (int d = lcp; d < s.length; d++) {
                lab[n] = s[d];
                dep[n] = d + 1;
                if (pathLen == path.length) {
                    path = Arrays.copyOf(path, pathLen * 2);
                }
                path[pathLen++] = n;
                n++;
            }
            int node = path[pathLen - 1];
            int id = ids[k];
            if (first[node] < 0) {
                first[node] = id;
            } else {
                next[lastAtNode[node]] = id;
            }
            lastAtNode[node] = id;
            prev = s;
        }
        while (pathLen > 0) {
            end[path[--pathLen]] = n;
        }
        this.nodeCount = n;
        this.label = Arrays.copyOf(lab, n);
        this.depth = Arrays.copyOf(dep, n);
        this.subtreeEnd = Arrays.copyOf(end, n);
        this.firstId = Arrays.copyOf(first, n);
        this.nextId = next;
    }
}
