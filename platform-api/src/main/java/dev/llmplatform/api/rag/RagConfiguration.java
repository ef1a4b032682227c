package dev.llmplatform.api.rag;

import dev.llmplatform.api.config.DataHome;
import dev.llmplatform.rag.RagService;
import dev.llmplatform.rag.ingest.ChunkingOptions;
import dev.llmplatform.rag.store.CollectionCatalog;
import dev.llmplatform.rag.store.lucene.LuceneCollectionStore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/**
 * The RAG service over the data home's {@code collections/} directory (embedded Lucene indexes; which
 * collections exist is recorded in the state database's {@code collections} table) with the bundled
 * all-MiniLM-L6-v2 encoder. Chunking: {@code llmp.rag.chunk-tokens} (200), {@code llmp.rag.chunk-overlap} (40).
 */
@Configuration(proxyBeanMethods = false)
public class RagConfiguration {
    @Bean(destroyMethod = "close")
    @DependsOn("fileImport")
    RagService ragService(DataHome home, CollectionCatalog catalog,
                          @Value("${llmp.rag.chunk-tokens:200}") int chunkTokens,
                          @Value("${llmp.rag.chunk-overlap:40}") int chunkOverlap) {
        return new RagService(new LuceneCollectionStore(home.collections(), catalog), LazyEmbedder.bundled(),
                new ChunkingOptions(chunkTokens, chunkOverlap));
    }
}
