package dev.llmplatform.rag.store.solr;

import dev.llmplatform.rag.store.MetadataFilter;
import java.util.stream.Collectors;
import org.apache.solr.client.solrj.util.ClientUtils;

/**
 * {@link MetadataFilter} → one Solr filter query (standard query syntax) over the {@code m.*} (exact) and
 * {@code n.*} (numeric) fields, with the same meaning as the embedded store's filters.
 */
final class SolrFilters {
    private SolrFilters() {
    }

    static String toQuery(MetadataFilter filter) {
        return switch (filter) {
            case MetadataFilter.Eq eq -> equality(eq.field(), eq.value());
            case MetadataFilter.In in -> in.values().stream().map(v -> equality(in.field(), v))
                    .collect(Collectors.joining(" OR ", "(", ")"));
            case MetadataFilter.Range r -> range(r);
            case MetadataFilter.And and -> and.all().stream().map(f -> "+" + toQuery(f))
                    .collect(Collectors.joining(" ", "(", ")"));
            case MetadataFilter.Or or -> or.any().stream().map(SolrFilters::toQuery)
                    .collect(Collectors.joining(" OR ", "(", ")"));
            // a purely negative clause matches nothing in Lucene syntax: subtract from all documents
            case MetadataFilter.Not not -> "(*:* -" + toQuery(not.negated()) + ")";
        };
    }

    private static String equality(String field, Object value) {
        if (value instanceof Number n) {
            String v = number(n.doubleValue());
            return escape(SolrChunkFields.numeric(field)) + ":[" + v + " TO " + v + "]";
        }
        return escape(SolrChunkFields.exact(field)) + ":"
                + ClientUtils.escapeQueryChars(String.valueOf(value));
    }

    private static String range(MetadataFilter.Range r) {
        double lower = r.inclusiveLower();
        double upper = r.inclusiveUpper();
        return escape(SolrChunkFields.numeric(r.field())) + ":[" + bound(lower) + " TO " + bound(upper) + "]";
    }

    private static String bound(double v) {
        return Double.isInfinite(v) ? "*" : number(v);
    }

    private static String number(double v) {
        // Double.toString round-trips exactly; the sign of a negative number must not read as an operator
        return ClientUtils.escapeQueryChars(Double.toString(v));
    }

    /** A field name or value as one literal term: metadata keys and values may hold spaces or query syntax. */
    static String escape(String name) {
        return ClientUtils.escapeQueryChars(name);
    }
}
