package dev.llmplatform.rag.store.solr;

import java.util.List;

/**
 * Where the SolrCloud cluster is and how new collections are laid out.
 *
 * @param urls     Solr base URLs ({@code http://host:8983/solr}) used to bootstrap the cloud client over
 *                 HTTP; ignored when {@code zkHosts} is set
 * @param zkHosts  ZooKeeper ensemble ({@code host:2181,host2:2181/solr}, chroot optional), or empty
 * @param shards   {@code numShards} of each new collection
 * @param replicas {@code replicationFactor} of each new collection
 */
public record SolrSettings(List<String> urls, String zkHosts, int shards, int replicas) {
    public SolrSettings {
        urls = urls == null ? List.of() : urls.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        zkHosts = zkHosts == null ? "" : zkHosts.trim();
        if (urls.isEmpty() && zkHosts.isEmpty()) {
            throw new IllegalArgumentException("the Solr store needs llmp.rag.solr.urls (Solr base URLs) or"
                    + " llmp.rag.solr.zk-hosts (ZooKeeper ensemble)");
        }
        for (String u : urls) {
            if (!u.startsWith("http://") && !u.startsWith("https://")) {
                throw new IllegalArgumentException("Solr URL '" + u + "' must start with http:// or https://");
            }
        }
        if (shards < 1 || replicas < 1) {
            throw new IllegalArgumentException("Solr shards and replicas must be at least 1, got " + shards
                    + " and " + replicas);
        }
    }

    /** Comma-separated URLs, as in a property. */
    public static List<String> splitUrls(String csv) {
        return csv == null ? List.of() : List.of(csv.split("[,\\s]+")).stream().filter(s -> !s.isBlank()).toList();
    }
}
