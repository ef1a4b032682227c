package dev.llmplatform.api.cli;

import dev.llmplatform.api.PlatformApplication;
import dev.llmplatform.api.config.DataHome;
import dev.llmplatform.api.registry.ModelRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code llmp serve}: starts the HTTP server (OpenAI-compatible API, admin console). Every option is a
 * Spring property ({@code llmp.serving.*}, {@code llmp.models[i].*}), so the same settings can come from
 * a configuration file ({@code --config}) or the environment instead.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start the platform's HTTP server: the OpenAI-compatible API under /v1 and the console at /admin.")
public final class ServeCommand implements Callable<Integer> {
    /** Exit code meaning "the server is running; do not exit the JVM". */
    static final int KEEP_RUNNING = -1;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", description = "TCP port to listen on (1-65535, default ${DEFAULT-VALUE}).", defaultValue = "8080")
    int port;

    @Option(names = "--host", description = "Address to bind (default ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--model", paramLabel = "[NAME=]PATH",
            description = "A GGUF model to serve, under NAME (default: the file name without .gguf); repeat for several.")
    List<String> models = new ArrayList<>();

    @Option(names = "--ctx", paramLabel = "N", description = "Context length per sequence (default 4096, capped at the model's).")
    Integer ctx;

    @Option(names = {"--threads", "-t"}, paramLabel = "N", description = "Worker threads per model (default: all processors).")
    Integer threads;

    @Option(names = {"--parallel", "-np"}, paramLabel = "N", description = "Sequences decoded together per model (default 4).")
    Integer parallel;

    @Mixin
    KvTypeOption kvType;

    @Option(names = "--config", paramLabel = "FILE", description = "A YAML or properties file with llmp.* settings.")
    Path config;

    @Override
    public Integer call() {
        if (port < 1 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be between 1 and 65535 (got " + port + ")");
        }
        List<String> args = new ArrayList<>();
        args.add("--server.port=" + port);
        args.add("--server.address=" + host);
        if (config != null) {
            if (!Files.isRegularFile(config)) {
                throw new ParameterException(spec.commandLine(), "--config " + config + ": no such file");
            }
            args.add("--spring.config.additional-location=file:" + config.toAbsolutePath());
        }
        for (int i = 0; i < models.size(); i++) {
            String value = models.get(i);
            int eq = value.indexOf('=');
            String name = eq > 0 ? value.substring(0, eq) : null;
            Path model = resolveModel(eq > 0 ? value.substring(eq + 1) : value);
            args.add("--llmp.models[" + i + "].path=" + model);
            if (name != null) {
                args.add("--llmp.models[" + i + "].id=" + name);
            }
        }
        positive(ctx, "--ctx", 2);
        positive(threads, "--threads", 1);
        positive(parallel, "--parallel", 1);
        if (ctx != null) {
            args.add("--llmp.serving.ctx=" + ctx);
        }
        if (threads != null) {
            args.add("--llmp.serving.threads=" + threads);
        }
        if (parallel != null) {
            args.add("--llmp.serving.parallel=" + parallel);
        }
        if (kvType.given()) {
            args.add("--llmp.serving.kv-type=" + kvType.type().name().toLowerCase(Locale.ROOT));
        }
        try {
            PlatformApplication.start(args.toArray(String[]::new));
        } catch (RuntimeException e) {
            // A refused binding is one line for the user, not Spring's wrapped bean-creation chain.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof dev.llmplatform.api.security.InsecureBindingException refusal) {
                    throw new IllegalStateException(refusal.getMessage());
                }
            }
            // Anything else (a model that cannot load) Spring has reported in one analysis; exit non-zero.
            return 1;
        }
        return KEEP_RUNNING;
    }

    /** A file path, or the name of a model in the registry ({@code llmp models}). */
    private Path resolveModel(String value) {
        Path file = Path.of(value);
        if (Files.isRegularFile(file)) {
            return file.toAbsolutePath();
        }
        try {
            return new ModelRegistry(DataHome.resolve(System.getProperty("llmp.home")).models()).resolve(value);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--model " + value
                    + ": no such file, and no model of that name in the registry (see llmp models)");
        }
    }

    private void positive(Integer value, String option, int min) {
        if (value != null && value < min) {
            throw new ParameterException(spec.commandLine(), option + " must be at least " + min + " (got " + value + ")");
        }
    }
}
