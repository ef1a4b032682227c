package dev.llmplatform.api.rag;

import dev.llmplatform.api.config.DataHome;
import dev.llmplatform.rag.RagService;
import dev.llmplatform.rag.ingest.ChunkingOptions;
import dev.llmplatform.rag.store.CollectionCatalog;
import dev.llmplatform.rag.store.CollectionStore;
import dev.llmplatform.rag.store.lucene.LuceneCollectionStore;
import dev.llmplatform.rag.store.solr.SolrCollectionStore;
import dev.llmplatform.rag.store.solr.SolrSettings;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/**
 * The RAG service with the bundled all-MiniLM-L6-v2 encoder over the chosen collection store:
 * {@code llmp.rag.store=lucene} (default: embedded Lucene indexes in the data home's {@code collections/} directory, which
 * collections exist recorded in the state database's {@code collections} table) or {@code solr}
 * (a SolrCloud cluster: {@code llmp.rag.solr.urls} or {@code llmp.rag.solr.zk-hosts}, new collections
 * with {@code llmp.rag.solr.shards} × {@code llmp.rag.solr.replicas}). Chunking:
 * {@code llmp.rag.chunk-tokens} (200), {@code llmp.rag.chunk-overlap} (40).
 */
@Configuration(proxyBeanMethods = false)
public class RagConfiguration {
    @Bean(destroyMethod = "close")
    @DependsOn("fileImport")
    RagService ragService(DataHome home, CollectionCatalog catalog,
                          @Value("${llmp.rag.chunk-tokens:200}") int chunkTokens,
                          @Value("${llmp.rag.chunk-overlap:40}") int chunkOverlap,
                          @Value("${llmp.rag.store:lucene}") String store,
                          @Value("${llmp.rag.solr.urls:}") String solrUrls,
                          @Value("${llmp.rag.solr.zk-hosts:}") String solrZkHosts,
                          @Value("${llmp.rag.solr.shards:1}") int solrShards,
                          @Value("${llmp.rag.solr.replicas:1}") int solrReplicas) {
        CollectionStore collections = switch (store.trim().toLowerCase(Locale.ROOT)) {
            case "lucene" -> new LuceneCollectionStore(home.collections(), catalog);
            case "solr" -> new SolrCollectionStore(new SolrSettings(SolrSettings.splitUrls(solrUrls), solrZkHosts,
                    solrShards, solrReplicas));
            default -> throw new IllegalArgumentException("llmp.rag.store must be 'lucene' or 'solr', got '" + store + "'");
        };
        return new RagService(collections, LazyEmbedder.bundled(), new ChunkingOptions(chunkTokens, chunkOverlap));
    }
}
