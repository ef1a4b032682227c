package dev.llmplatform.api.cli;

import dev.llmplatform.api.registry.ModelRegistry;
import dev.llmplatform.api.registry.RegistryEntry;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.ObjectMapper;

/** {@code llmp models}: the model registry. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List the models in the registry (DATA/models): name, size, architecture, quantization, context, sha256.")
public final class ModelsCommand implements Callable<Integer> {
    @Option(names = "--json", description = "One JSON array with every field (full sha256, path, source).")
    boolean json;

    @Mixin
    DataOption data = new DataOption();

    @Override
    public Integer call() {
        ModelRegistry registry = data.registry();
        List<RegistryEntry> entries = registry.list();
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(entries));
            return 0;
        }
        if (entries.isEmpty()) {
            System.out.println("no models in " + registry.directory() + "; add one with: llmp pull OWNER/REPO[:QUANT]");
            return 0;
        }
        String format = "%-40s %10s  %-10s %-8s %8s  %s%n";
        System.out.printf(format, "NAME", "SIZE", "ARCH", "QUANT", "CONTEXT", "SHA256");
        for (RegistryEntry e : entries) {
            System.out.printf(format, e.name(), InfoCommand.humanBytes(e.size()), orDash(e.architecture()), orDash(e.quantization()),
                    e.contextLength() > 0 ? Long.toString(e.contextLength()) : "-",
                    e.sha256().substring(0, 16) + (e.error() != null ? "  (unreadable: " + e.error() + ")" : ""));
        }
        return 0;
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }
}
