package dev.llmplatform.rag.store.solr;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.common.SolrException;

/**
 * Retries a Solr request on what a retry can fix: connection failures, 5xx answers and unreadable
 * answers (a node going down or up, a leader election, a replica recovering), with doubling back-off. 4xx answers (a bad query,
 * a missing collection) fail at once.
 */
final class SolrRetry {
    interface Call<T> {
        T call() throws IOException, SolrServerException;
    }

    /**
     * A stopping node can keep answering garbage for a few seconds before the cluster state says it is gone;
     * capped back-off over ~10 attempts rides that out (about 13 s in all).
     */
    static final long MAX_BACKOFF_MILLIS = 2000;

    private final int attempts;
    private final long firstBackoffMillis;

    SolrRetry(int attempts, long firstBackoffMillis) {
        this.attempts = attempts;
        this.firstBackoffMillis = firstBackoffMillis;
    }

    <T> T call(String what, Call<T> call) {
        long backoff = firstBackoffMillis;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (IOException | SolrServerException | SolrException e) {
                if (!retriable(e) || attempt == attempts) {
                    throw failure(what, e);
                }
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while retrying " + what, ie);
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
    }

    void run(String what, Call<?> call) {
        call(what, call);
    }

    /**
     * Everything but a 4xx answer. That includes answers with a success status whose body cannot be parsed:
     * a node stopped while streaming its answer leaves a truncated body behind a 200 ("parsing error").
     */
    static boolean retriable(Exception e) {
        if (e instanceof SolrException se) {
            return se.code() < 400 || se.code() >= 500;
        }
        return true;
    }

    private static RuntimeException failure(String what, Exception e) {
        if (e instanceof SolrException se && se.code() >= 400 && se.code() < 500) {
            return new IllegalArgumentException("Solr rejected " + what + ": " + se.getMessage(), se);
        }
        if (e instanceof IOException io) {
            return new UncheckedIOException("Solr " + what + " failed: " + io.getMessage(), io);
        }
        return new IllegalStateException("Solr " + what + " failed: " + e.getMessage(), e);
    }
}
