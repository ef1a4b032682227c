package dev.llmplatform.engine.runtime;

/** The tokens a sequence has seen so far, oldest first (what repetition penalties look at). */
public interface TokenHistory {
    int length();

    int tokenAt(int index);

    static TokenHistory of(int... ids) {
        int[] copy = ids.clone();
        return new TokenHistory() {
            @Override
            public int length() {
                return copy.length;
            }

            @Override
            public int tokenAt(int index) {
                return copy[index];
            }
        };
    }
}
