package dev.llmplatform.api.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code llmp version}. */
@Command(name = "version", description = "Print the platform's version and the Java runtime it runs on.")
public final class VersionCommand implements Runnable {

    static String version() {
        String v = Llmp.class.getPackage().getImplementationVersion();
        return v != null ? v : "development build";
    }

    static String[] lines() {
        return new String[] {
                "llmp " + version(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")",
        };
    }

    @Override
    public void run() {
        for (String line : lines()) {
            System.out.println(line);
        }
    }

    public static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return lines();
        }
    }
}
