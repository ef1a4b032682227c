package dev.llmplatform.rag.store.lucene;

import dev.llmplatform.rag.store.MetadataFilter;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/** {@link MetadataFilter} → a Lucene query over the {@code m.*} and {@code n.*} fields. */
final class LuceneFilters {
    private LuceneFilters() {
    }

    static Query toQuery(MetadataFilter filter) {
        return switch (filter) {
            case MetadataFilter.Eq eq -> equality(eq.field(), eq.value());
            case MetadataFilter.In in -> {
                BooleanQuery.Builder b = new BooleanQuery.Builder();
                for (Object v : in.values()) {
                    b.add(equality(in.field(), v), Occur.SHOULD);
                }
                yield b.setMinimumNumberShouldMatch(1).build();
            }
            case MetadataFilter.Range r -> range(r);
            case MetadataFilter.And and -> {
                BooleanQuery.Builder b = new BooleanQuery.Builder();
                and.all().forEach(f -> b.add(toQuery(f), Occur.FILTER));
                yield b.build();
            }
            case MetadataFilter.Or or -> {
                BooleanQuery.Builder b = new BooleanQuery.Builder();
                or.any().forEach(f -> b.add(toQuery(f), Occur.SHOULD));
                yield b.setMinimumNumberShouldMatch(1).build();
            }
            case MetadataFilter.Not not -> new BooleanQuery.Builder()
                    .add(new MatchAllDocsQuery(), Occur.FILTER)
                    .add(toQuery(not.negated()), Occur.MUST_NOT)
                    .build();
        };
    }

    private static Query equality(String field, Object value) {
        if (value instanceof Number n) {
            return DoublePoint.newExactQuery(ChunkFields.numeric(field), n.doubleValue());
        }
        return new TermQuery(new Term(ChunkFields.exact(field), String.valueOf(value)));
    }

    private static Query range(MetadataFilter.Range r) {
        double lower = r.inclusiveLower();
        double upper = r.inclusiveUpper();
        return DoublePoint.newRangeQuery(ChunkFields.numeric(r.field()), lower, upper);
    }
}
