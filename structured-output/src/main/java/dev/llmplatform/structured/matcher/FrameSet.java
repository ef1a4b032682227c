package dev.llmplatform.structured.matcher;

import java.util.Arrays;

/**
 * A growable, duplicate-free set of stacks: the state of the nondeterministic pushdown parser (one
 * stack per live parse). Reused as a scratch buffer on hot paths.
 */
final class FrameSet {
    Frame[] frames = new Frame[8];
    int size;

    void clear() {
        size = 0;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void add(Frame f) {
        for (int i = 0; i < size; i++) {
            Frame g = frames[i];
            if (g == f || (g.hashCode() == f.hashCode() && g.equals(f))) {
                return;
            }
        }
        if (size == frames.length) {
            frames = Arrays.copyOf(frames, size * 2);
        }
        frames[size++] = f;
    }

    boolean contains(Frame f) {
        for (int i = 0; i < size; i++) {
            if (frames[i] == f) {
                return true;
            }
        }
        return false;
    }

    /** True if some stack can still consume a byte. */
    boolean hasByteFrames() {
        for (int i = 0; i < size; i++) {
            if (frames[i].pos >= 0) {
                return true;
            }
        }
        return false;
    }

    Frame[] toArray() {
        return Arrays.copyOf(frames, size);
    }

    /** Replaces the contents with {@code src}, whose stacks are known to be distinct (no duplicate check). */
    void setDistinct(Frame[] src) {
        if (src.length > frames.length) {
            frames = Arrays.copyOf(src, src.length);
        } else {
            System.arraycopy(src, 0, frames, 0, src.length);
        }
        size = src.length;
    }

    void setAll(Frame[] src) {
        clear();
        for (Frame f : src) {
            add(f);
        }
    }
}
