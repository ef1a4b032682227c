package dev.llmplatform.structured.matcher;

import java.util.Arrays;
import java.util.BitSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Computes which tokens may come next for a parser state, for one grammar and one vocabulary; shared
 * by every sequence constrained by that grammar (thread-safe).
 *
 * <p>Two caches make this fast:
 * <ol>
 *   <li><b>Per-rule masks.</b> For each stack, the frames above its nearest named rule (the "local
 *   context") decide most tokens on their own. For each distinct local context we walk the token trie
 *   once, with the rest of the stack replaced by a {@link Frame#BASE} marker, and record the tokens
 *   the local context accepts outright plus, for tokens that run past the end of the rule, the
 *   remaining bytes ("suffixes", kept in a small trie). At run time a mask is the precomputed bitset
 *   OR the suffixes that the actual caller accepts, checked with one pruned walk of the suffix trie.
 *   Since {@code string}, {@code number}, {@code value}... are named rules, their masks are computed
 *   once per grammar no matter how many places use them.</li>
 *   <li><b>Whole-state masks.</b> States recur (every token inside a JSON string leaves the parser
 *   in the same state); a bounded map from state to final mask answers those with one bitset OR.</li>
 * </ol>
 * A state met for the first time is the OR of its stacks' per-rule masks and of cached suffix-walk
 * answers, keyed by the caller's top frames only (so shared across nesting depths); precomputation fills
 * both, so that a first-met state made of explored stacks does no parser work at all.
 */
public final class TokenMasker {
    private final CompiledGrammar grammar;
    private final TokenVocabulary vocab;
    private final int words;
    private final ConcurrentHashMap<LocalKey, LocalMask> local = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<StateKey, BitSet> states = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<SuffixKey, Suffixes> suffixTries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<SuffixWalkKey, SuffixAnswer> suffixWalks = new ConcurrentHashMap<>();
    private final int maxStates;

    public TokenMasker(CompiledGrammar grammar, TokenVocabulary vocab) {
        this.grammar = grammar;
        this.vocab = vocab;
        this.words = (vocab.size + 63) >>> 6;
        this.maxStates = Math.max(256, (int) Math.min(100_000, (96L << 20) / (words * 8L + 64)));
    }

    public CompiledGrammar grammar() {
        return grammar;
    }

    public TokenVocabulary vocabulary() {
        return vocab;
    }

    /** A constraint for one new sequence. */
    public GrammarConstraint newConstraint() {
        return new GrammarConstraint(this);
    }

    /**
     * Computes now the per-rule mask of every local context the grammar can reach, so that no
     * generated token pays for a trie walk over the vocabulary, and each explored stack's suffix-walk
     * answer (the suffix tokens its caller accepts), so that a state made of explored stacks costs only
     * bitset ORs; what is left for run time is OR-ing those and walking small suffix tries for
     * continuations not explored (recursion deeper than the representatives). Reachable stacks are
     * explored from the start state, one byte step at a time (so contexts met early in an output come first); of the
     * stacks that agree down to their fourth named-rule frame only one is explored (the contexts a step
     * reaches depend on the frames it can pop, which that part holds in practice), which keeps recursive
     * grammars ({@code value} inside {@code value}) finite. At most {@code maxStacks} stacks are explored;
     * contexts beyond that, if any, are computed when first met, as without precomputation. Safe to call
     * concurrently with decoding (e.g. on a background thread), and again: masks already cached are not
     * recomputed.
     *
     * @return the number of per-rule masks cached afterwards
     */
    public int precompute(int maxStacks) {
        precompute(maxStacks, Long.MAX_VALUE);
        return local.size();
    }

    /**
     * As {@link #precompute(int)}, but stops once {@code budgetNanos} of wall time have passed (checked
     * between walks, each a few milliseconds at most on real vocabularies): a caller can precompute the
     * masks an output meets first within a bounded delay and leave the rest to a background thread
     * (another call) or to the first token that needs them.
     *
     * @return true if every reachable context (within {@code maxStacks}) is cached
     */
    public boolean precompute(int maxStacks, long budgetNanos) {
        return precompute(maxStacks, budgetNanos, System::nanoTime);
    }

    /**
     * As {@link #precompute(int, long)} with the budget measured on {@code clock} (nanoseconds), e.g. the
     * thread's CPU time for an evaluation whose figures should not depend on how loaded the machine is.
     */
    public boolean precompute(int maxStacks, long budgetNanos, java.util.function.LongSupplier clock) {
        long deadline = budgetNanos == Long.MAX_VALUE ? Long.MAX_VALUE : clock.getAsLong() + budgetNanos;
        Scratch scratch = newScratch();
        PushdownParser parser = new PushdownParser(grammar);
        java.util.ArrayDeque<Frame> queue = new java.util.ArrayDeque<>();
        java.util.HashSet<ContextKey> seen = new java.util.HashSet<>();
        for (Frame f : parser.start()) {
            if (f.pos >= 0 && seen.add(ContextKey.of(f, grammar))) {
                queue.add(f);
            }
        }
        FrameSet one = new FrameSet();
        FrameSet out = new FrameSet();
        StateTable walks = new StateTable(scratch);
        java.util.ArrayList<Frame> explored = new java.util.ArrayList<>();
        while (!queue.isEmpty()) {
            Frame f = queue.poll();
            explored.add(f);
            LocalKey key = localKeyOf(f);
            if (!local.containsKey(key)) {
                if (deadline != Long.MAX_VALUE && clock.getAsLong() - deadline > 0) {
                    return false;
                }
                walks.trim();
                LocalMask computed = computeLocal(key, walks);
                local.putIfAbsent(key, computed);
            }
            int b = firstByte(f.pos);
            if (b < 0) {
                continue;
            }
            // every byte a frame's byte set accepts leads to the same successors
            one.clear();
            one.add(f);
            parser.advance(one, b, out);
            for (int i = 0; i < out.size; i++) {
                Frame g = out.frames[i];
                if (g.pos >= 0 && seen.size() < maxStacks && seen.add(ContextKey.of(g, grammar))) {
                    queue.add(g);
                }
            }
        }
        // Then each explored stack's suffix-walk answer, so that a state made of explored stacks costs only
        // bitset ORs. Second, in the same order: a per-rule mask missed costs a vocabulary walk (milliseconds),
        // a suffix walk missed tens of microseconds. This runs the code a first-met state runs (addStack),
        // which is then compiled before it is needed. The clock is read every 32 stacks (a suffix walk may
        // take a millisecond on large tries).
        BitSet sink = new BitSet(vocab.size);
        for (int i = 0; i < explored.size(); i++) {
            if ((i & 31) == 31 && deadline != Long.MAX_VALUE && clock.getAsLong() - deadline > 0) {
                return false;
            }
            scratch.added = 0;
            addStack(explored.get(i), sink, scratch);
        }
        return true;
    }

    /** Default bound for {@link #precompute(int)}: generous for real schemas, bounded for pathological ones. */
    public static final int DEFAULT_PRECOMPUTE_STACKS = 200_000;

    private int firstByte(int pos) {
        for (int w = 0; w < 4; w++) {
            long bits = grammar.bits[pos * 4 + w];
            if (bits != 0) {
                return w * 64 + Long.numberOfTrailingZeros(bits);
            }
        }
        return -1;
    }

    /**
     * Named-rule frames a {@link ContextKey} keeps. One byte can end several rules at once (a value's
     * last byte ends the member, and optional members after it may be skipped), exposing frames
     * further down; with fewer than four, random walks in {@code TokenMaskTest} met contexts that
     * precomputation had not reached.
     */
    private static final int CONTEXT_BOUNDARIES = 4;

    /** A stack's positions down to its {@link #CONTEXT_BOUNDARIES}-th named-rule frame, and whether it ends there. */
    private record ContextKey(int[] positions, boolean bottom) {
        static ContextKey of(Frame top, CompiledGrammar g) {
            int n = 0;
            int boundaries = 0;
            for (Frame f = top; f != null && f.pos >= 0 && boundaries < CONTEXT_BOUNDARIES; f = f.next) {
                n++;
                if (g.boundary[g.ruleOf[f.pos]]) {
                    boundaries++;
                }
            }
            int[] positions = new int[n];
            Frame f = top;
            for (int i = 0; i < n; i++) {
                positions[i] = f.pos;
                f = f.next;
            }
            return new ContextKey(positions, f == null);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ContextKey k && k.bottom == bottom && Arrays.equals(k.positions, positions);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(positions) * 2 + (bottom ? 1 : 0);
        }
    }

    /** Number of cached per-rule masks (for benchmarks and tests). */
    public int localMaskCount() {
        return local.size();
    }

    private record LocalKey(int[] positions, boolean reachesRoot) {
        @Override
        public boolean equals(Object o) {
            return o instanceof LocalKey k && k.reachesRoot == reachesRoot && Arrays.equals(k.positions, positions);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(positions) * 2 + (reachesRoot ? 1 : 0);
        }
    }

    /** Tokens the local context accepts outright, and the suffixes (ids in pairToken) left to the caller. */
    private record LocalMask(BitSet accepted, ByteTrie suffixes, int[] pairToken) {
    }

    /**
     * A parser state as a set of stacks. Beyond a few, its frames are kept sorted by hash so that two equal
     * states compare in one pass (states of large grammars hold dozens of stacks); stacks with equal hashes in a
     * different order only make two keys for one state, which costs a cache entry, not correctness.
     */
    private static final class StateKey {
        final Frame[] frames;
        final int hash;

        /** Up to this many stacks a state is compared pairwise, unsorted (cheaper than sorting). */
        private static final int SMALL = 8;

        StateKey(Frame[] state) {
            Frame[] sorted = state;
            if (state.length > SMALL) {
                sorted = state.clone();
                Arrays.sort(sorted, (a, b) -> Integer.compare(a.hashCode(), b.hashCode()));
            }
            this.frames = sorted;
            int h = 0;
            for (Frame f : sorted) {
                h += f.hashCode();
            }
            this.hash = h;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof StateKey k) || k.hash != hash || k.frames.length != frames.length) {
                return false;
            }
            if (frames.length > SMALL) {
                for (int i = 0; i < frames.length; i++) {
                    if (!frames[i].equals(k.frames[i])) {
                        return false;
                    }
                }
                return true;
            }
            outer:
            for (Frame f : frames) {
                for (Frame g : k.frames) {
                    if (f.equals(g)) {
                        continue outer;
                    }
                }
                return false;
            }
            return true;
        }
    }

    /** Scratch space for one thread: a parser and one frame set per trie depth. */
    static final class Scratch {
        final PushdownParser parser;
        final MaskWork work = new MaskWork();
        FrameSet[] levels = new FrameSet[0];
        /** Masks and answers already OR-ed into the state being combined (identity; the first few only). */
        final Object[] combined = new Object[32];
        int added;

        boolean firstTime(Object part) {
            for (int i = 0; i < added; i++) {
                if (combined[i] == part) {
                    return false;
                }
            }
            if (added < combined.length) {
                combined[added++] = part;
            }
            return true;
        }

        Scratch(CompiledGrammar g) {
            this.parser = new PushdownParser(g);
        }

        FrameSet level(int d) {
            if (d >= levels.length) {
                FrameSet[] grown = Arrays.copyOf(levels, Math.max(d + 1, levels.length * 2));
                for (int i = levels.length; i < grown.length; i++) {
                    grown[i] = new FrameSet();
                }
                levels = grown;
            }
            return levels[d];
        }
    }

    Scratch newScratch() {
        return new Scratch(grammar);
    }

    /**
     * Sets in {@code out} the non-end tokens allowed after {@code state}. Every bitset operation here is
     * {@link BitSet#or}, the one the cached path runs on every call: a state met for the first time is
     * rare, so code of its own would run interpreted or barely compiled long after the common path is
     * optimised (that, not the work itself, made first-met states cost 50-800 µs in MaskBench).
     */
    void fill(Frame[] state, BitSet out, Scratch scratch) {
        StateKey key = new StateKey(state);
        BitSet cached = states.get(key);
        if (cached == null) {
            cached = combine(state, scratch);
            if (states.size() >= maxStates) {
                states.clear();
            }
            states.put(key, cached);
        }
        out.or(cached);
    }

    /** The mask of a whole state: its stacks' per-rule masks OR the suffix tokens their callers accept. */
    private BitSet combine(Frame[] state, Scratch scratch) {
        BitSet acc = new BitSet(vocab.size);
        scratch.work.stateMisses++;
        scratch.added = 0;
        for (Frame f : state) {
            if (f.pos >= 0) {
                addStack(f, acc, scratch);
            }
        }
        return acc;
    }

    /**
     * ORs into {@code acc} the tokens stack {@code top} allows: its per-rule mask and the suffix tokens its
     * caller accepts. The stacks of one state often share these (alternatives of one rule under the same
     * caller), so a part already OR-ed since {@code scratch.added} was reset is skipped.
     */
    private void addStack(Frame top, BitSet acc, Scratch scratch) {
        scratch.work.stacksCombined++;
        LocalMask lm = localMaskFor(top, scratch);
        if (scratch.firstTime(lm.accepted)) {
            acc.or(lm.accepted);
        }
        Frame parent = parentOfLocalContext(top);
        if (lm.suffixes != null && parent != null) {
            SuffixAnswer answer = suffixTokens(lm, parent, scratch);
            if (scratch.firstTime(answer)) {
                answer.addTo(acc);
            }
        }
    }

    /** The frame below the nearest named-rule frame of {@code top}'s stack; null if there is none. */
    private Frame parentOfLocalContext(Frame top) {
        for (Frame f = top; f != null; f = f.next) {
            if (grammar.boundary[grammar.ruleOf[f.pos]]) {
                return f.next;
            }
        }
        return null;
    }

    /** The per-rule mask of {@code top}'s local context, computed (once) if not cached yet. */
    private LocalMask localMaskFor(Frame top, Scratch scratch) {
        LocalKey key = localKeyOf(top);
        LocalMask lm = local.get(key);
        if (lm != null) {
            return lm;
        }
        scratch.work.lateContexts++;
        return local.computeIfAbsent(key, this::computeLocal);
    }

    /** {@code top}'s local context: the positions down to its nearest named-rule frame. */
    private LocalKey localKeyOf(Frame top) {
        int n = 0;
        Frame f = top;
        Frame parent;
        while (true) {
            n++;
            if (grammar.boundary[grammar.ruleOf[f.pos]]) {
                parent = f.next;
                break;
            }
            f = f.next;
            if (f == null) {
                parent = null;
                break;
            }
        }
        int[] positions = new int[n];
        f = top;
        for (int i = 0; i < n; i++) {
            positions[i] = f.pos;
            f = f.next;
        }
        return new LocalKey(positions, parent == null);
    }

    /**
     * The suffix tokens that the caller's continuation {@code parent} accepts. Cached per (suffix trie,
     * the continuation's top frames): a walk over short suffixes rarely pops more than a frame or two of
     * the caller, so its answer holds for every continuation that agrees on those frames — the same
     * member's return frame under any nesting depth — and a new whole state then costs only bitset ORs
     * instead of a parser walk. Precomputation fills this cache for the stacks it explores.
     *
     * <p>Exact: the walk runs on the top {@code k} frames with {@link Frame#BASE} below them (k = 1, 2,
     * 4... up to the whole continuation); if any stack pops into {@code BASE}, the answer needs deeper
     * frames and the walk is repeated with more.
     */
    private SuffixAnswer suffixTokens(LocalMask lm, Frame parent, Scratch scratch) {
        int depth = 0;
        for (Frame f = parent; f != null; f = f.next) {
            depth++;
        }
        for (int k = 1; ; k *= 2) {
            boolean whole = k >= depth;
            SuffixAnswer cached = suffixWalks.get(SuffixWalkKey.of(lm.suffixes, parent, whole ? depth : k, whole));
            if (cached != null) {
                return cached;
            }
            if (whole) {
                break;
            }
        }
        scratch.work.suffixWalks++;
        for (int k = 1; ; k *= 2) {
            boolean whole = k >= depth;
            BitSet found = walkSuffixes(lm, whole ? parent : topFrames(parent, k), scratch);
            if (found == null) {
                continue; // popped below the k frames: needs more of the continuation
            }
            SuffixAnswer answer = SuffixAnswer.of(found);
            if (suffixWalks.size() >= MAX_SUFFIX_WALKS || suffixWalkBytes.get() > MAX_SUFFIX_WALK_BYTES) {
                suffixWalks.clear();
                suffixWalkBytes.set(0);
            }
            suffixWalkBytes.addAndGet(answer.bytes());
            suffixWalks.put(SuffixWalkKey.of(lm.suffixes, parent, whole ? depth : k, whole), answer);
            return answer;
        }
    }

    /** A copy of the top {@code k} frames of {@code stack} on {@link Frame#BASE}. */
    private static Frame topFrames(Frame stack, int k) {
        int[] positions = new int[k];
        Frame f = stack;
        for (int i = 0; i < k; i++) {
            positions[i] = f.pos;
            f = f.next;
        }
        Frame copy = Frame.BASE;
        for (int i = k - 1; i >= 0; i--) {
            copy = new Frame(positions[i], copy);
        }
        return copy;
    }

    /**
     * A suffix walk's tokens: most answers are a few tokens, kept as ids (a bitset would take a word for
     * every 64 ids below the highest); large ones as a bitset, OR-ed in one call.
     */
    private record SuffixAnswer(int[] few, BitSet many) {
        private static final int MAX_FEW = 32;

        static SuffixAnswer of(BitSet tokens) {
            int n = tokens.cardinality();
            return n > MAX_FEW ? new SuffixAnswer(null, tokens) : new SuffixAnswer(tokens.stream().toArray(), null);
        }

        /** Roughly what the answer takes in memory, for the cache's bound. */
        long bytes() {
            return 64 + (many != null ? many.size() / 8 : few.length * 4L);
        }

        void addTo(BitSet acc) {
            if (many != null) {
                acc.or(many);
                return;
            }
            for (int tok : few) {
                acc.set(tok);
            }
        }
    }

    /** Memory the cached suffix-walk answers may take before the cache starts afresh. */
    private static final long MAX_SUFFIX_WALK_BYTES = 32L << 20;
    private final java.util.concurrent.atomic.AtomicLong suffixWalkBytes = new java.util.concurrent.atomic.AtomicLong();

    /** Cached suffix-walk answers kept before the cache starts afresh (most are a few tokens). */
    private static final int MAX_SUFFIX_WALKS = 50_000;

    /**
     * A suffix trie (by identity; they are shared) and the positions of the continuation's top frames
     * that its walk depends on ({@code whole}: all of them, down to the bottom of the stack).
     */
    private record SuffixWalkKey(ByteTrie trie, int[] positions, boolean whole) {
        static SuffixWalkKey of(ByteTrie trie, Frame parent, int k, boolean whole) {
            int[] positions = new int[k];
            Frame f = parent;
            for (int i = 0; i < k; i++) {
                positions[i] = f.pos;
                f = f.next;
            }
            return new SuffixWalkKey(trie, positions, whole);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SuffixWalkKey k && k.trie == trie && k.whole == whole
                    && Arrays.equals(k.positions, positions);
        }

        @Override
        public int hashCode() {
            return (System.identityHashCode(trie) * 31 + Arrays.hashCode(positions)) * 2 + (whole ? 1 : 0);
        }
    }

    /**
     * Walks the suffix trie from the caller's continuation; every live node's tokens are allowed. Null
     * if a stack pops into {@link Frame#BASE} (a continuation cut by {@link #topFrames}: too few frames).
     */
    private static BitSet walkSuffixes(LocalMask lm, Frame parent, Scratch scratch) {
        ByteTrie t = lm.suffixes;
        PushdownParser p = scratch.parser;
        FrameSet root = scratch.level(0);
        p.resume(parent, root);
        BitSet found = new BitSet();
        if (root.isEmpty()) {
            return found;
        }
        if (root.contains(Frame.BASE)) {
            return null;
        }
        addIds(t, 0, lm.pairToken, found);
        int i = 1;
        while (i < t.nodeCount) {
            scratch.work.suffixWalkNodes++;
            int d = t.depth[i];
            FrameSet out = scratch.level(d);
            p.advance(scratch.level(d - 1), t.label[i] & 0xFF, out);
            if (out.isEmpty()) {
                i = t.subtreeEnd[i];
                continue;
            }
            if (out.contains(Frame.BASE)) {
                return null;
            }
            addIds(t, i, lm.pairToken, found);
            i = out.hasByteFrames() ? i + 1 : t.subtreeEnd[i];
        }
        return found;
    }

    private static void addIds(ByteTrie t, int node, int[] pairToken, BitSet found) {
        for (int k = t.firstId[node]; k >= 0; k = t.nextId[k]) {
            found.set(pairToken[k]);
        }
    }

    private LocalMask computeLocal(LocalKey key) {
        return computeLocal(key, new StateTable(newScratch()));
    }

    /**
     * Walks the vocabulary trie from {@code key}'s local context. {@code states} may be shared by
     * successive walks on one thread (precomputation): contexts of one grammar reach the same parser
     * states (a bounded repetition's k-th position steps into the (k-1)-th), so their byte transitions
     * are learnt once.
     */
    private LocalMask computeLocal(LocalKey key, StateTable states) {
        Frame cur = key.reachesRoot ? null : Frame.BASE;
        for (int i = key.positions.length - 1; i >= 0; i--) {
            cur = new Frame(key.positions[i], cur);
        }
        ByteTrie t = vocab.trie;
        long[] accepted = new long[words];
        IntPairs pairs = new IntPairs();
        IntPairs groups = new IntPairs();
        int[] at = new int[64];
        at[0] = states.intern(new Frame[] {cur});
        int i = 1;
        while (i < t.nodeCount) {
            int d = t.depth[i];
            if (d >= at.length) {
                at = Arrays.copyOf(at, at.length * 2);
            }
            int s = states.next(at[d - 1], t.label[i] & 0xFF);
            if (s < 0) {
                i = t.subtreeEnd[i];
                continue;
            }
            at[d] = s;
            boolean live = states.live[s];
            for (int id = t.firstId[i]; id >= 0; id = t.nextId[id]) {
                if (live) {
                    accepted[id >>> 6] |= 1L << (id & 63);
                } else {
                    pairs.add(id, d);
                }
            }
            if (states.base[s] && t.subtreeEnd[i] > i + 1) {
                // every longer token through here may continue in the caller after d bytes: recorded as
                // the subtree (often tens of thousands of tokens, e.g. all space-led ones), listed only if
                // no other context has left the same to its caller
                groups.add(i, d);
            }
            i = states.consumes[s] ? i + 1 : t.subtreeEnd[i];
        }
        return buildSuffixes(pairs, groups, accepted);
    }

    /**
     * Parser states met during trie walks, numbered, with a dense table of byte transitions: inside a
     * string, say, thousands of trie nodes lead to the same few states, so most steps are one array
     * read instead of a parser step. Not thread-safe; one per walking thread.
     */
    private static final class StateTable {
        private static final int UNKNOWN = -2;
        private static final int DEAD = -1;
        /** States kept before the table starts afresh (each learnt row costs 1 KiB). */
        private static final int MAX_STATES = 1 << 15;
        private final Scratch scratch;
        private final java.util.HashMap<StateKey, Integer> ids = new java.util.HashMap<>();
        private final java.util.ArrayList<Frame[]> states = new java.util.ArrayList<>();
        private int[][] rows = new int[16][];
        boolean[] base = new boolean[16];
        boolean[] live = new boolean[16];
        boolean[] consumes = new boolean[16];

        StateTable(Scratch scratch) {
            this.scratch = scratch;
        }

        /** Forgets every state if the table is full; call only between walks (ids are not stable across it). */
        void trim() {
            if (states.size() > MAX_STATES) {
                ids.clear();
                states.clear();
                rows = new int[16][];
                base = new boolean[16];
                live = new boolean[16];
                consumes = new boolean[16];
            }
        }

        int intern(Frame[] frames) {
            StateKey k = new StateKey(frames);
            Integer id = ids.get(k);
            if (id != null) {
                return id;
            }
            int n = states.size();
            states.add(frames);
            ids.put(k, n);
            if (n == base.length) {
                base = Arrays.copyOf(base, n * 2);
                live = Arrays.copyOf(live, n * 2);
                consumes = Arrays.copyOf(consumes, n * 2);
                rows = Arrays.copyOf(rows, n * 2);
            }
            for (Frame f : frames) {
                base[n] |= f == Frame.BASE;
                live[n] |= f.pos >= 0 || f == Frame.ACCEPT;
                consumes[n] |= f.pos >= 0;
            }
            return n;
        }

        /** The state after byte {@code b}, or -1 if no stack survives. */
        int next(int state, int b) {
            int[] row = rows[state];
            if (row == null) {
                row = new int[256];
                Arrays.fill(row, UNKNOWN);
                rows[state] = row;
            }
            int known = row[b];
            if (known != UNKNOWN) {
                return known;
            }
            FrameSet in = scratch.level(0);
            in.setDistinct(states.get(state)); // interned states are duplicate-free sets
            FrameSet out = scratch.level(1);
            scratch.parser.advance(in, b, out);
            int result = out.isEmpty() ? DEAD : intern(out.toArray());
            rows[state][b] = result;
            return result;
        }
    }

    /** Growable list of (token, offset) pairs. */
    private static final class IntPairs {
        int[] tokens = new int[16];
        int[] offsets = new int[16];
        int size;

        void add(int token, int offset) {
            if (size == tokens.length) {
                tokens = Arrays.copyOf(tokens, size * 2);
                offsets = Arrays.copyOf(offsets, size * 2);
            }
            tokens[size] = token;
            offsets[size] = offset;
            size++;
        }
    }

    /**
     * The per-rule mask from one walk's results: tokens accepted outright, tokens that end where the
     * caller takes over ({@code pairs}: token, offset) and trie subtrees whose tokens all run on into the
     * caller ({@code groups}: node, offset). Many contexts leave the same tokens to their caller (every
     * context that may end after one space leaves all space-led tokens), so suffix tries are shared: keyed
     * by that walk output (in trie order), built once. A subtree's tokens are not filtered against the
     * accepted ones (that would make the trie depend on more than its key): a token both accepted and
     * left to the caller is simply allowed twice.
     */
    private LocalMask buildSuffixes(IntPairs pairs, IntPairs groups, long[] accepted) {
        int kept = 0;
        for (int k = 0; k < pairs.size; k++) {
            int tok = pairs.tokens[k];
            if ((accepted[tok >>> 6] >>> (tok & 63) & 1L) == 0) {
                kept++;
            }
        }
        if (kept == 0 && groups.size == 0) {
            return new LocalMask(BitSet.valueOf(accepted), null, null);
        }
        int[] pairToken = new int[kept];
        int[] offsets = new int[kept];
        int n = 0;
        for (int k = 0; k < pairs.size; k++) {
            int tok = pairs.tokens[k];
            if ((accepted[tok >>> 6] >>> (tok & 63) & 1L) == 0) {
                pairToken[n] = tok;
                offsets[n] = pairs.offsets[k];
                n++;
            }
        }
        SuffixKey key = new SuffixKey(pairToken, offsets, Arrays.copyOf(groups.tokens, groups.size),
                Arrays.copyOf(groups.offsets, groups.size));
        Suffixes shared = suffixTries.get(key);
        if (shared == null) {
            shared = suffixTries.computeIfAbsent(key, k -> suffixes(k, vocab));
        }
        return new LocalMask(BitSet.valueOf(accepted), shared.trie, shared.pairToken);
    }

    /** The suffix trie of a key's tokens; its ids index the returned token list. */
    private static Suffixes suffixes(SuffixKey key, TokenVocabulary vocab) {
        IntPairs all = new IntPairs();
        for (int k = 0; k < key.tokens.length; k++) {
            all.add(key.tokens[k], key.offsets[k]);
        }
        ByteTrie t = vocab.trie;
        for (int g = 0; g < key.groupNodes.length; g++) {
            for (int j = key.groupNodes[g] + 1, end = t.subtreeEnd[key.groupNodes[g]]; j < end; j++) {
                for (int id = t.firstId[j]; id >= 0; id = t.nextId[id]) {
                    all.add(id, key.groupOffsets[g]);
                }
            }
        }
        int n = all.size;
        byte[][] suffixes = new byte[n][];
        int[] ids = new int[n];
        for (int k = 0; k < n; k++) {
            byte[] b = vocab.bytes[all.tokens[k]];
            suffixes[k] = Arrays.copyOfRange(b, all.offsets[k], b.length);
            ids[k] = k;
        }
        return new Suffixes(new ByteTrie(suffixes, ids, n - 1), Arrays.copyOf(all.tokens, n));
    }

    /** Tokens left to callers and the byte offsets at which they leave; subtrees of the vocabulary trie likewise. */
    private record SuffixKey(int[] tokens, int[] offsets, int[] groupNodes, int[] groupOffsets) {
        @Override
        public boolean equals(Object o) {
            return o instanceof SuffixKey k && Arrays.equals(k.tokens, tokens) && Arrays.equals(k.offsets, offsets)
                    && Arrays.equals(k.groupNodes, groupNodes) && Arrays.equals(k.groupOffsets, groupOffsets);
        }

        @Override
        public int hashCode() {
            return ((Arrays.hashCode(tokens) * 31 + Arrays.hashCode(offsets)) * 31 + Arrays.hashCode(groupNodes)) * 31
                    + Arrays.hashCode(groupOffsets);
        }
    }

    /** A shared suffix trie; its ids index {@code pairToken}. */
    private record Suffixes(ByteTrie trie, int[] pairToken) {
    }
}
