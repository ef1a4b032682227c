package dev.llmplatform.rag.store.solr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.solr.client.solrj.impl.BaseHttpSolrClient;
import org.apache.solr.common.SolrException;
import org.junit.jupiter.api.Test;

class SolrRetryTest {
    private final SolrRetry retry = new SolrRetry(4, 1);

    /** What SolrJ throws for a node's answer with this HTTP status (also for a body it cannot parse). */
    private static SolrException answer(int status, String message) {
        return new BaseHttpSolrClient.RemoteSolrException("http://127.0.0.1:8983/solr", status, message, null);
    }

    @Test
    void aTruncatedSuccessAnswerIsRetriedLikeAServerError() {
        // a node stopped mid-answer: status 200, body unreadable
        AtomicInteger calls = new AtomicInteger();
        String result = retry.call("query", () -> {
            if (calls.incrementAndGet() < 3) {
                throw answer(200, "parsing error");
            }
            return "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(3);
    }

    @Test
    void serverErrorsAndLostConnectionsAreRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThat(retry.call("query", () -> {
            int n = calls.incrementAndGet();
            if (n == 1) {
                throw answer(503, "no servers hosting shard");
            }
            if (n == 2) {
                throw new IOException("connection refused");
            }
            return "ok";
        })).isEqualTo("ok");
    }

    @Test
    void aRejectedRequestFailsAtOnceAsBadInput() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry.call("query", () -> {
            calls.incrementAndGet();
            throw answer(400, "undefined field");
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("undefined field");
        assertThat(calls).hasValue(1);
    }

    @Test
    void givesUpAfterItsAttempts() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry.call("query", () -> {
            calls.incrementAndGet();
            throw answer(500, "down");
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("Solr query failed");
        assertThat(calls).hasValue(4);
    }
}
