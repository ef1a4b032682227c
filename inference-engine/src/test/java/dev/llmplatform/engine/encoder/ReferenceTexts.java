package dev.llmplatform.engine.encoder;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A varied, reproducible set of test inputs: short and long (well over 256 tokens) prose, accented
 * and non-Latin scripts, CJK, emoji, source code, numbers, and nearly empty strings.
 */
final class ReferenceTexts {
    private static final String[] WORDS = ("the quick brown fox jumps over lazy dog embedding model sentence vector "
            + "retrieval semantic search database query answer question language transformer attention layer "
            + "normalisation tokenizer wordpiece encoder decoder inference platform java virtual machine memory "
            + "throughput latency benchmark accuracy cosine similarity neural network training data").split(" ");
    private static final String[] UNICODE = {
            "Café crème brûlée à la française", "Größenwahn und Übermut", "naïve façade coöperate",
            "日本語のテキストを埋め込みます。", "中文句子的嵌入向量", "한국어 문장 임베딩", "Привет, как дела? Всё хорошо.",
            "Ελληνικά γράμματα ΣΊΣΥΦΟΣ", "مرحبا بالعالم", "שלום עולם", "हिन्दी वाक्य", "ไทย ภาษา",
            "emoji 🦙🚀✨ and symbols ☃ ∑ ∞ ≠", "İstanbul ıı İİ", "ﬁancé ﬂower Ⅻ ①②③", "Zero\u200Bwidth\u200Djoiner",
            "tab\tand\nnewlines\r\nmixed\u00A0nbsp\u3000ideographic space", "e\u0301 decomposed accents o\u0308"};
    private static final String[] CODE = {
            "public static void main(String[] args) { System.out.println(\"hi\"); }",
            "def f(x):\n    return [i**2 for i in range(x) if i % 2 == 0]",
            "SELECT name, COUNT(*) FROM users WHERE age > 30 GROUP BY name;",
            "<div class=\"x\">&nbsp;<a href='/y?z=1&w=2'>link</a></div>",
            "fn main() -> Result<(), Box<dyn Error>> { let v: Vec<u8> = vec![]; Ok(()) }",
            "{\"key\": [1, 2.5, -3e10, null, true], \"nested\": {\"a\": \"b\"}}",
            "x <<= 2; y >>>= 3; z ^= ~w | (a & b) && c || !d;"};
    private static final String[] EMPTYISH = {"", " ", "\n", "\t \n", ".", "?!", "a", "I", "\u200B", "…", "🦙"};

    private ReferenceTexts() {
    }

    static List<String> generate(int count, long seed) {
        Random rnd = new Random(seed);
        List<String> texts = new ArrayList<>(List.of(EMPTYISH));
        texts.addAll(List.of(UNICODE));
        texts.addAll(List.of(CODE));
        int i = 0;
        while (texts.size() < count) {
            // One text in twenty is long (260-460 words: over 256 tokens, truncated); the rest are short
            // or medium prose, mixed scripts, code and numbers.
            switch (i++ % 20) {
                case 0, 6, 10, 16 -> texts.add(sentence(rnd, 3 + rnd.nextInt(12)));
                case 1, 7, 11, 17 -> texts.add(sentence(rnd, 15 + rnd.nextInt(40)));
                case 2 -> texts.add(sentence(rnd, 260 + rnd.nextInt(200)) + " " + UNICODE[rnd.nextInt(UNICODE.length)]);
                case 3, 8, 13, 18 -> texts.add(UNICODE[rnd.nextInt(UNICODE.length)] + " " + sentence(rnd, 5 + rnd.nextInt(10)));
                case 4, 14 -> texts.add(CODE[rnd.nextInt(CODE.length)].repeat(1 + rnd.nextInt(3)));
                default -> texts.add(numbers(rnd));
            }
        }
        return texts;
    }

    static String sentence(Random rnd, int words) {
        StringBuilder sb = new StringBuilder();
        for (int w = 0; w < words; w++) {
            String word = WORDS[rnd.nextInt(WORDS.length)];
            if (w == 0 || rnd.nextInt(12) == 0) {
                word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
            }
            sb.append(w > 0 ? " " : "").append(word);
            if (rnd.nextInt(10) == 0) {
                sb.append(rnd.nextBoolean() ? "," : ".");
            }
        }
        return sb.append('.').toString();
    }

    private static String numbers(Random rnd) {
        return "Order #" + rnd.nextInt(100000) + " costs $" + rnd.nextInt(1000) + "." + rnd.nextInt(100)
                + " on 2026-" + (1 + rnd.nextInt(12)) + "-" + (1 + rnd.nextInt(28)) + " (" + rnd.nextDouble() + "%)";
    }
}
