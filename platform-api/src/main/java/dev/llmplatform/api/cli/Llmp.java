package dev.llmplatform.api.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code llmp} command line: the entry point of the platform's jar. */
@Command(name = "llmp",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "LLM Platform: chat, JSON-mode and embedding endpoints from open models, in one Java application.",
        subcommands = {
                ServeCommand.class,
                GenerateCommand.class,
                ScoreCommand.class,
                InfoCommand.class,
                TokenizeCommand.class,
                DetokenizeCommand.class,
                ChatTemplateCommand.class,
                EvalStructuredCommand.class,
                EmbedCommand.class,
                IngestCommand.class,
                SearchCommand.class,
                EvalRetrievalCommand.class,
                VersionCommand.class,
                BenchCommand.class,
                BenchServeCommand.class,
                WriteBenchModelCommand.class,
                PullCommand.class,
                ModelsCommand.class,
                RmCommand.class,
                KeysCommand.class,
                CheckCommand.class,
                EvalGuardrailsCommand.class,
                TrainInjectionClassifierCommand.class,
                TrainPiiTaggerCommand.class,
                GuardrailsBenchCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class Llmp implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = run(args);
        if (code != ServeCommand.KEEP_RUNNING) {
            System.exit(code);
        }
    }

    /** Runs a command line and returns its exit code (used by tests too). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Llmp());
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            // A user sees one clear line, never a stack trace; LLMP_DEBUG=1 shows the trace.
            commandLine.getErr().println("llmp: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
            if (System.getenv("LLMP_DEBUG") != null) {
                ex.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
