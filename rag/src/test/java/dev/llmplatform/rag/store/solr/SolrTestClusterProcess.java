package dev.llmplatform.rag.store.solr;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real SolrCloud — Solr's {@code MiniSolrCloudCluster}, N Jetty nodes and an embedded ZooKeeper — in a
 * child JVM started from the {@code rag/solr-test-cluster} module's build (its classes and the classpath
 * file its build writes), because Solr 9's Lucene 9 cannot share rag's classpath (Lucene 10). The child
 * runs on this JVM's own JDK.
 *
 * <p>When the module has not been built the tests are skipped with a message, except under
 * {@code CI=true}, where that is a failure.
 */
final class SolrTestClusterProcess implements AutoCloseable {
    private static final long START_TIMEOUT_S = 300;
    private static final long COMMAND_TIMEOUT_S = 180;

    private final Process process;
    private final PrintWriter commands;
    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(1000);
    private final List<String> nodeUrls = new ArrayList<>();
    private final Path log;
    private String zkHost;

    private SolrTestClusterProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.put(line);
                }
            } catch (IOException | InterruptedException e) {
                // the child is gone; waiting callers time out with the log's location
            }
        }, "solr-test-cluster-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code nodes} Solr nodes and waits until they serve. */
    static SolrTestClusterProcess start(int nodes) throws IOException, InterruptedException {
        Path module = moduleDir();
        Path classes = module.resolve("target/classes");
        Path classpathFile = module.resolve("target/solr-test-cluster.classpath");
        if (!Files.isDirectory(classes) || !Files.isRegularFile(classpathFile)) {
            unavailable("the Solr test cluster module is not built (" + classpathFile + " missing): build with"
                    + " ./mvnw -pl rag -am verify, which builds rag/solr-test-cluster first");
        }
        Path log = module.resolve("target/solr-test-cluster.log");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(javaBin, "-Xmx1g", "-Djava.net.preferIPv4Stack=true",
                "-cp", classes + java.io.File.pathSeparator + Files.readString(classpathFile).trim(),
                "dev.llmplatform.rag.solrcluster.SolrTestCluster", Integer.toString(nodes));
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        SolrTestClusterProcess cluster = new SolrTestClusterProcess(p, log);
        try {
            cluster.awaitReady();
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_S);
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IOException("the Solr test cluster did not start within " + START_TIMEOUT_S + " s"
                        + (process.isAlive() ? "" : " (exit " + process.exitValue() + ")") + "; see " + log);
            }
            if (line.startsWith("ZK ")) {
                zkHost = line.substring(3);
            } else if (line.startsWith("NODE ")) {
                nodeUrls.add(line.split(" ")[2]);
            } else if (line.equals("READY")) {
                return;
            }
        }
    }

    List<String> nodeUrls() {
        return List.copyOf(nodeUrls);
    }

    String zkHost() {
        return zkHost;
    }

    void stopNode(int i) throws IOException, InterruptedException {
        command("stop " + i, "STOPPED " + i);
    }

    void startNode(int i) throws IOException, InterruptedException {
        command("start " + i, "STARTED " + i);
    }

    private void command(String command, String expected) throws IOException, InterruptedException {
        commands.println(command);
        String line = lines.poll(COMMAND_TIMEOUT_S, TimeUnit.SECONDS);
        if (line == null || !line.startsWith(expected)) {
            throw new IOException("Solr test cluster answered '" + line + "' to '" + command + "'; see " + log);
        }
    }

    @Override
    public void close() throws InterruptedException {
        commands.println("quit");
        commands.close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static Path moduleDir() {
        String root = System.getenv("LLMP_REPO_ROOT");
        Path start = root != null && !root.isBlank() ? Path.of(root) : Path.of("").toAbsolutePath();
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("rag/solr-test-cluster");
            if (Files.isRegularFile(candidate.resolve("pom.xml"))) {
                return candidate;
            }
            if (dir.getFileName() != null && dir.getFileName().toString().equals("rag")
                    && Files.isRegularFile(dir.resolve("solr-test-cluster/pom.xml"))) {
                return dir.resolve("solr-test-cluster");
            }
        }
        unavailable("cannot find rag/solr-test-cluster from " + start);
        return null;
    }

    /** Skips the calling tests, or fails them under CI=true where the cluster must run. */
    static void unavailable(String why) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(why + "; under CI=true the SolrCloud tests must run");
        }
        Assumptions.abort(why + "; skipping the SolrCloud tests");
    }
}
