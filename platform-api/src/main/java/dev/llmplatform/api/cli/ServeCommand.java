package dev.llmplatform.api.cli;

import dev.llmplatform.api.PlatformApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code llmp serve}: starts the HTTP server (OpenAI-compatible API, admin console). */
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

    @Option(names = "--model", paramLabel = "PATH", description = "A GGUF model to serve; repeat for several.")
    List<Path> models = new ArrayList<>();

    @Override
    public Integer call() {
        if (port < 1 || port > 65535) {
            throw new ParameterException(spec.commandLine(),
                    "--port must be between 1 and 65535 (got " + port + ")");
        }
        List<String> args = new ArrayList<>();
        args.add("--server.port=" + port);
        args.add("--server.address=" + host);
        for (int i = 0; i < models.size(); i++) {
            Path model = models.get(i).toAbsolutePath();
            if (!Files.isRegularFile(model)) {
                throw new ParameterException(spec.commandLine(), "--model " + models.get(i) + ": no such file");
            }
            args.add("--llmp.models[" + i + "].path=" + model);
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
            throw e;
        }
        return KEEP_RUNNING;
    }
}
