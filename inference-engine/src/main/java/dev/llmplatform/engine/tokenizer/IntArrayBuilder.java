package dev.llmplatform.engine.tokenizer;

import java.util.Arrays;

/** A growable int array, to collect token ids without boxing. */
final class IntArrayBuilder {
    private int[] values;
    private int size;

    IntArrayBuilder(int capacity) {
        values = new int[Math.max(4, capacity)];
    }

    void add(int value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[size++] = value;
    }

    int size() {
        return size;
    }

    int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
