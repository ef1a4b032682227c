package dev.llmplatform.rag.solrcluster;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;
import org.apache.solr.cloud.MiniSolrCloudCluster;

/**
 * Runs Solr's {@link MiniSolrCloudCluster} (an embedded ZooKeeper and N Jetty Solr nodes) until told to
 * quit, for tests in another JVM. Usage: {@code SolrTestCluster NODES [DIR]}.
 *
 * <p>Protocol on stdout, one line each: {@code ZK host:port/solr}, {@code NODE i URL} for every node, then
 * {@code READY}. Commands on stdin: {@code stop i} (answers {@code STOPPED i}), {@code start i}
 * ({@code STARTED i URL}), {@code quit} (or end of input: shuts down and deletes the directory when this
 * process made it). Failures answer {@code ERROR message}.
 */
public final class SolrTestCluster {
    private SolrTestCluster() {
    }

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        boolean ownDir = args.length < 2;
        Path dir = ownDir ? Files.createTempDirectory("solr-test-cluster-") : Path.of(args[1]);
        Files.createDirectories(dir);
        // protocol lines go to the real stdout; Solr's own logging is sent to stderr by the parent's choice
        PrintStream protocol = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        MiniSolrCloudCluster cluster = new MiniSolrCloudCluster(nodes, dir, JettyConfig.builder().build());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(cluster, ownDir ? dir : null)));
        try {
            protocol.println("ZK " + cluster.getZkServer().getZkAddress());
            List<JettySolrRunner> jetties = cluster.getJettySolrRunners();
            for (int i = 0; i < jetties.size(); i++) {
                protocol.println("NODE " + i + " " + jetties.get(i).getBaseUrl());
            }
            protocol.println("READY");
            serve(cluster, protocol);
        } finally {
            shutdown(cluster, ownDir ? dir : null);
        }
        System.exit(0);
    }

    private static void serve(MiniSolrCloudCluster cluster, PrintStream protocol) throws Exception {
        // the runners are fixed at start: a stopped node keeps its index, its port and its place in the list
        List<JettySolrRunner> jetties = List.copyOf(cluster.getJettySolrRunners());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] cmd = line.trim().split("\\s+");
            try {
                switch (cmd[0]) {
                    case "stop" -> {
                        JettySolrRunner jetty = jetties.get(Integer.parseInt(cmd[1]));
                        cluster.stopJettySolrRunner(jetty);
                        cluster.waitForJettyToStop(jetty);
                        protocol.println("STOPPED " + cmd[1]);
                    }
                    case "start" -> {
                        JettySolrRunner jetty = jetties.get(Integer.parseInt(cmd[1]));
                        cluster.startJettySolrRunner(jetty, true);
                        cluster.waitForNode(jetty, 60);
                        protocol.println("STARTED " + cmd[1] + " " + jetty.getBaseUrl());
                    }
                    case "quit" -> {
                        return;
                    }
                    case "" -> {
                    }
                    default -> protocol.println("ERROR unknown command '" + line.trim() + "'");
                }
            } catch (Exception e) {
                protocol.println("ERROR " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }

    private static synchronized void shutdown(MiniSolrCloudCluster cluster, Path dirToDelete) {
        try {
            cluster.shutdown();
        } catch (Exception e) {
            System.err.println("cluster shutdown failed: " + e);
        }
        if (dirToDelete != null && Files.exists(dirToDelete)) {
            try (Stream<Path> files = Files.walk(dirToDelete)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (Exception e) {
                System.err.println("cannot delete " + dirToDelete + ": " + e);
            }
        }
    }
}
