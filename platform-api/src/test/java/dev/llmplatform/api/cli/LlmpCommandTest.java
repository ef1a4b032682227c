package dev.llmplatform.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LlmpCommandTest {
    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Llmp.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void helpListsTheCommands() {
        Result r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("serve").contains("version");
    }

    @Test
    void versionPrintsTheJavaRuntime() {
        Result r = run("version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("llmp ").contains("Java " + Runtime.version().feature());
    }

    @Test
    void badPortIsAClearMessageNotAStackTrace() {
        Result r = run("serve", "--port", "0");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("--port must be between 1 and 65535").doesNotContain("Exception");
        Result r2 = run("serve", "--port", "eighty");
        assertThat(r2.code()).isNotZero();
        assertThat(r2.err()).contains("--port").doesNotContain("at dev.");
    }

    @Test
    void servingBeyondLoopbackWithoutKeysIsRefusedInOneLine() {
        // LLMP_HOME points at an empty home under target/ (see the surefire configuration): no keys there.
        Result r = run("serve", "--host", "0.0.0.0", "--port", "18080");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("llmp: refusing to listen on 0.0.0.0 without API keys").doesNotContain("at dev.");
    }

    @Test
    void missingModelFileIsReported() {
        Result r = run("serve", "--model", "/no/such/model.gguf");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("no such file");
    }

    @Test
    void unknownCommandIsReported() {
        Result r = run("frobnicate");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("frobnicate");
    }

    @Test
    void everyModelCommandRejectsZeroThreadsTheSameWay(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String model = java.nio.file.Files.writeString(dir.resolve("m.gguf"), "not read: --threads fails first").toString();
        String[][] commands = {
                {"generate", "--model", model, "--prompt", "x", "--threads", "0"},
                {"score", "--model", model, "--tokens", "1", "--threads", "0"},
                {"bench", "--model", model, "--threads", "0"},
        };
        for (String[] args : commands) {
            String command = args[0];
            Result r = run(args);
            assertThat(r.code()).as(command).isNotZero();
            assertThat(r.err()).as(command).contains("--threads must be ≥ 1 (got 0)").doesNotContain("Exception");
        }
    }
}
