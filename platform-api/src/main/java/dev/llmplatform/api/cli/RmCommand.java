package dev.llmplatform.api.cli;

import dev.llmplatform.api.registry.ModelRegistry;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code llmp rm}: deletes a model (and any partial download of it) from the registry. */
@Command(name = "rm", mixinStandardHelpOptions = true,
        description = "Remove a model from the registry: its file, its sha256 cache and any partial download of it.")
public final class RmCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "The model's name as `llmp models` shows it.")
    String name;

    @Mixin
    DataOption data = new DataOption();

    @Override
    public Integer call() {
        ModelRegistry registry = data.registry();
        registry.remove(name);
        System.out.println("removed " + name + " from " + registry.directory());
        return 0;
    }
}
