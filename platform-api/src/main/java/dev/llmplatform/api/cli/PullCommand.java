package dev.llmplatform.api.cli;

import dev.llmplatform.api.registry.HubClient;
import dev.llmplatform.api.registry.ModelPuller;
import dev.llmplatform.api.registry.ModelRef;
import dev.llmplatform.api.registry.RegistryEntry;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.ObjectMapper;

/** {@code llmp pull}: downloads a GGUF model from Hugging Face into the registry. */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = {"Download a GGUF model from Hugging Face into the model registry (DATA/models).",
                "Resumes a partial download, verifies the sha256 the hub reports, and prints the entry as JSON on the last line.",
                "HF_TOKEN is sent for private or gated repositories; HF_ENDPOINT names a mirror."})
public final class PullCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "OWNER/REPO[:FILE_OR_QUANT]",
            description = "e.g. Qwen/Qwen2.5-0.5B-Instruct-GGUF:q4_k_m, or a repo holding one .gguf file.")
    String ref;

    @Option(names = "--file", paramLabel = "F", description = "The .gguf file (or quantization) in the repository; overrides ':FILE'.")
    String file;

    @Option(names = "--endpoint", paramLabel = "URL", description = "Hub base URL (default: $HF_ENDPOINT, else " + HubClient.DEFAULT_ENDPOINT + ").")
    String endpoint;

    @Mixin
    DataOption data = new DataOption();

    @Override
    public Integer call() {
        ModelRef parsed = ModelRef.parse(ref, file);
        ModelPuller puller = new ModelPuller(HubClient.fromEnvironment(endpoint, null), data.registry());
        ProgressBar bar = new ProgressBar(System.err, System.console() != null && System.console().isTerminal(), Duration.ofSeconds(5));
        RegistryEntry entry;
        try {
            entry = puller.pull(parsed, bar);
        } finally {
            bar.finish();
        }
        System.out.printf("%s: %s (%s, %s, sha256 %s%s)%n", entry.name(), entry.path(), InfoCommand.humanBytes(entry.size()),
                entry.quantization(), entry.sha256(), entry.verified() ? " verified" : ", not verified: the hub reported no hash");
        System.out.println(new ObjectMapper().writeValueAsString(entry));
        return 0;
    }
}
