package dev.llmplatform.structured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmplatform.structured.gbnf.Grammar;
import dev.llmplatform.structured.matcher.TokenMasker;
import dev.llmplatform.structured.matcher.TokenVocabulary;
import dev.llmplatform.structured.testing.ByteVocabTokenizer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Compiled grammars are shared by definition, bounded (least recently used out), counted and precomputed. */
class GrammarCacheTest {
    private static final TokenVocabulary VOCAB = TokenVocabulary.of(ByteVocabTokenizer.standard(200, 3));

    @Test
    void sameDefinitionIsCompiledOnceAndCounted() {
        AtomicInteger compiles = new AtomicInteger();
        GrammarCache cache = new GrammarCache(VOCAB, 4, Runnable::run);
        TokenMasker a = cache.get("{\"type\":\"integer\"}", () -> {
            compiles.incrementAndGet();
            return Grammar.parse("root ::= [0-9]+");
        });
        TokenMasker b = cache.get("{\"type\":\"integer\"}", () -> {
            compiles.incrementAndGet();
            return Grammar.parse("root ::= [0-9]+");
        });
        assertThat(b).isSameAs(a);
        assertThat(compiles).hasValue(1);
        GrammarCache.Stats stats = cache.stats();
        assertThat(stats.hits()).isEqualTo(1);
        assertThat(stats.misses()).isEqualTo(1);
        assertThat(stats.size()).isEqualTo(1);
        // precomputed on the (here synchronous) executor: masks exist before any token was generated
        assertThat(a.localMaskCount()).isPositive();
    }

    @Test
    void leastRecentlyUsedIsEvictedBeyondCapacity() {
        GrammarCache cache = new GrammarCache(VOCAB, 2, Runnable::run);
        TokenMasker first = cache.get("a", () -> Grammar.parse("root ::= \"a\""));
        cache.get("b", () -> Grammar.parse("root ::= \"b\""));
        cache.get("a", () -> Grammar.parse("root ::= \"a\"")); // a is now the most recent
        cache.get("c", () -> Grammar.parse("root ::= \"c\"")); // evicts b
        assertThat(cache.get("a", () -> Grammar.parse("root ::= \"a\""))).isSameAs(first);
        GrammarCache.Stats stats = cache.stats();
        assertThat(stats.evictions()).isEqualTo(1);
        assertThat(stats.size()).isEqualTo(2);
        cache.get("b", () -> Grammar.parse("root ::= \"b\""));
        assertThat(cache.stats().misses()).isEqualTo(4);
    }

    @Test
    void capacityMustBePositive() {
        assertThatThrownBy(() -> new GrammarCache(VOCAB, 0, Runnable::run)).isInstanceOf(IllegalArgumentException.class);
    }
}
