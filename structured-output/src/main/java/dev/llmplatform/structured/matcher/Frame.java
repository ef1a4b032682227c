package dev.llmplatform.structured.matcher;

/**
 * One parse stack as an immutable linked list: {@code pos} is the grammar element to match next (a
 * byte set on top of a stack, a return position below it) and {@code next} the rest of the stack.
 * Stacks share tails, so advancing one allocates a frame or two. Two sentinels stand for the bottom:
 * {@link #ACCEPT} (the whole input so far is a complete sentence) and {@link #BASE} (the end of a
 * local context, used while precomputing token masks for one rule without its callers).
 */
final class Frame {
    static final Frame ACCEPT = new Frame(-1, null);
    static final Frame BASE = new Frame(-2, null);

    final int pos;
    final Frame next;
    private final int hash;

    Frame(int pos, Frame next) {
        this.pos = pos;
        this.next = next;
        this.hash = pos * 0x9E3779B1 + (next == null ? 0 : next.hash * 31);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Frame other)) {
            return false;
        }
        Frame a = this;
        Frame b = other;
        while (a != b) {
            if (a == null || b == null || a.hash != b.hash || a.pos != b.pos) {
                return false;
            }
            a = a.next;
            b = b.next;
        }
        return true;
    }
}
