package dev.llmplatform.api.cli;

import dev.llmplatform.guardrails.EncoderTextEmbedder;
import dev.llmplatform.guardrails.GuardSession;
import dev.llmplatform.guardrails.Guardrails;
import dev.llmplatform.guardrails.RequestContext;
import dev.llmplatform.guardrails.audit.AuditSink;
import dev.llmplatform.guardrails.injection.InjectionClassifier;
import dev.llmplatform.guardrails.policy.PolicySet;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.ObjectMapper;

/** {@code llmp bench-guardrails}: latency of a policy's input rail on a prompt of a given size. */
@Command(name = "bench-guardrails", mixinStandardHelpOptions = true,
        description = {"Latency of one input-rail check (p50/p99) for a prompt of --bytes bytes of ordinary text with some PII.",
                "The last line is one JSON object: {\"policy\",\"bytes\",\"iterations\",\"p50_ms\",\"p99_ms\",\"mean_ms\",\"cpu_p50_ms\",\"cpu_p99_ms\",\"all_threads_cpu_p50_ms\",\"all_threads_cpu_p99_ms\",\"alloc_p50_bytes\",\"alloc_mean_bytes\",\"all_threads_alloc_mean_bytes\",\"gc_count\",\"gc_ms\",\"load_average\"}.",
                "Allocation per check (this thread's, and all threads' with the encoder's workers) and the collections during the"
                        + " timed checks do not depend on the machine's load: the yardstick on a shared machine."})
public final class GuardrailsBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--policy", defaultValue = "default", description = "Policy (default: ${DEFAULT-VALUE}; 'fast' has no embedding detectors).")
    String policy;

    @Option(names = "--bytes", defaultValue = "1024", description = "Prompt size (default: ${DEFAULT-VALUE}).")
    int bytes;

    @Option(names = "--iterations", defaultValue = "200", description = "Timed checks (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--warmup", defaultValue = "100", description = "Untimed checks first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--policies-file", paramLabel = "FILE.yaml", description = "Policies to read instead of the built-in ones.")
    Path policiesFile;

    @Option(names = "--prompt-file", paramLabel = "FILE.txt", description = {"Check this file's text instead of the generated"
            + " prompt (--bytes is then ignored), e.g. a prompt the injection gate sends to the encoder."})
    Path promptFile;

    @Option(names = "--classifier", paramLabel = "FILE.json", description = {"Injection-classifier weights to use instead of"
            + " the shipped ones (e.g. a candidate written by train-injection-classifier --out)."})
    Path classifierFile;

    static final String PARAGRAPH = "Hello team, I am preparing the quarterly report for the regional office and need the "
            + "latest figures on customer retention, support ticket volumes and the average resolution time. Please send "
            + "them to maria.keller@example.com or call me on +49 30 1234 5678 before Friday. We also need to review the "
            + "travel expense policy, because several colleagues asked whether train tickets in first class are covered "
            + "for trips longer than four hours. ";

    @Override
    public Integer call() throws Exception {
        if (bytes < 16 || iterations < 1 || warmup < 0) {
            throw new ParameterException(spec.commandLine(), "--bytes must be >= 16, --iterations >= 1, --warmup >= 0");
        }
        String prompt;
        if (promptFile != null) {
            if (!Files.isRegularFile(promptFile)) {
                throw new ParameterException(spec.commandLine(), "--prompt-file " + promptFile + ": no such file");
            }
            prompt = Files.readString(promptFile);
        } else {
            StringBuilder sb = new StringBuilder();
            while (sb.length() < bytes) {
                sb.append(PARAGRAPH);
            }
            prompt = sb.substring(0, bytes);
        }
        int promptBytes = prompt.getBytes(StandardCharsets.UTF_8).length;
        PolicySet policies = GuardrailsCliSupport.policies(policiesFile);
        Guardrails guardrails;
        if (classifierFile == null) {
            guardrails = Guardrails.withDefaultModels(policies, AuditSink.DISCARD);
        } else {
            if (!Files.isRegularFile(classifierFile)) {
                throw new ParameterException(spec.commandLine(), "--classifier " + classifierFile + ": no such file");
            }
            InjectionClassifier classifier;
            try {
                classifier = InjectionClassifier.read(classifierFile);
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "--classifier " + e.getMessage());
            }
            guardrails = new Guardrails(policies, AuditSink.DISCARD, EncoderTextEmbedder::loadDefault, () -> classifier);
        }
        try {
            guardrails.session(policy, RequestContext.NONE);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--policy: " + e.getMessage());
        }
        for (int i = 0; i < warmup; i++) {
            guardrails.session(policy, RequestContext.NONE).checkInput(prompt);
        }
        // Wall time, this thread's CPU time and all threads': on a shared machine CPU time is what the check itself
        // costs; the encoder's worker threads are only in the sum over all threads (which also holds the JIT and GC, so
        // it errs high). The operating system's process CPU time ticks in 10 ms steps, too coarse for one check.
        // Bytes allocated per check are counted the same way, innermost (the counters' own reads allocate nothing on
        // this thread; the all-threads snapshots do, outside the inner window, so only the all-threads figure holds them).
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] nanos = new long[iterations];
        long[] cpu = new long[iterations];
        long[] allThreadsCpuTime = new long[iterations];
        long[] allocated = new long[iterations];
        long[] allThreadsAllocated = new long[iterations];
        long[] gc0 = collections();
        for (int i = 0; i < iterations; i++) {
            GuardSession s = guardrails.session(policy, RequestContext.NONE);
            long p0 = allThreadsCpu(threads);
            long q0 = allThreadsAllocated(threads);
            long a0 = threads.getCurrentThreadAllocatedBytes();
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            s.checkInput(prompt);
            nanos[i] = System.nanoTime() - t0;
            cpu[i] = threads.getCurrentThreadCpuTime() - c0;
            allocated[i] = threads.getCurrentThreadAllocatedBytes() - a0;
            allThreadsAllocated[i] = allThreadsAllocated(threads) - q0;
            allThreadsCpuTime[i] = allThreadsCpu(threads) - p0;
        }
        long[] gc1 = collections();
        long gcCount = gc1[0] - gc0[0];
        long gcMillis = gc1[1] - gc0[1];
        Arrays.sort(nanos);
        Arrays.sort(cpu);
        Arrays.sort(allThreadsCpuTime);
        Arrays.sort(allocated);
        double allocatedMean = Arrays.stream(allocated).average().orElse(0);
        double allThreadsAllocatedMean = Arrays.stream(allThreadsAllocated).average().orElse(0);
        double p50 = percentile(nanos, 0.50);
        double p99 = percentile(nanos, 0.99);
        double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
        // The machine's load while measuring: on a shared machine wall times must be read against it.
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        PrintWriter w = spec.commandLine().getOut();
        w.printf("policy '%s', %d-byte prompt, %d checks: p50 %.3f ms, p99 %.3f ms, mean %.3f ms (this thread's CPU: p50 %.3f ms, p99 %.3f ms)%n",
                policy, promptBytes, iterations, p50, p99, mean, percentile(cpu, 0.50), percentile(cpu, 0.99));
        w.printf("CPU of all threads (encoder workers, JIT and GC included): p50 %.3f ms, p99 %.3f ms%n", percentile(allThreadsCpuTime, 0.50),
                percentile(allThreadsCpuTime, 0.99));
        w.printf("allocated per check: this thread p50 %.1f KB, mean %.1f KB; all threads mean %.1f KB; %d collections (%d ms) in the timed checks%n",
                allocated[iterations / 2] / 1024.0, allocatedMean / 1024, allThreadsAllocatedMean / 1024, gcCount, gcMillis);
        w.printf("load average %.2f on %d processors%n", load, Runtime.getRuntime().availableProcessors());
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("policy", policy);
        o.put("bytes", promptBytes);
        o.put("iterations", iterations);
        o.put("p50_ms", p50);
        o.put("p99_ms", p99);
        o.put("mean_ms", mean);
        o.put("cpu_p50_ms", percentile(cpu, 0.50));
        o.put("cpu_p99_ms", percentile(cpu, 0.99));
        o.put("all_threads_cpu_p50_ms", percentile(allThreadsCpuTime, 0.50));
        o.put("all_threads_cpu_p99_ms", percentile(allThreadsCpuTime, 0.99));
        o.put("alloc_p50_bytes", allocated[iterations / 2]);
        o.put("alloc_mean_bytes", Math.round(allocatedMean));
        o.put("all_threads_alloc_mean_bytes", Math.round(allThreadsAllocatedMean));
        o.put("gc_count", gcCount);
        o.put("gc_ms", gcMillis);
        o.put("load_average", load);
        w.println(new ObjectMapper().writeValueAsString(o));
        w.flush();
        return 0;
    }

    /** CPU time of all live threads of this JVM, in nanoseconds (threads that ended meanwhile drop out). */
    static long allThreadsCpu(ThreadMXBean threads) {
        long sum = 0;
        for (long t : ((com.sun.management.ThreadMXBean) threads).getThreadCpuTime(threads.getAllThreadIds())) {
            sum += Math.max(0, t);
        }
        return sum;
    }

    /** Bytes allocated so far by all live threads of this JVM (threads that ended meanwhile drop out). */
    static long allThreadsAllocated(com.sun.management.ThreadMXBean threads) {
        long sum = 0;
        for (long b : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            sum += Math.max(0, b);
        }
        return sum;
    }

    /** Collections so far and the milliseconds they took, summed over the JVM's collectors. */
    static long[] collections() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    /** The q-quantile of sorted nanoseconds, in milliseconds (nearest rank). */
    static double percentile(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * q) - 1)] / 1e6;
    }
}
