package dev.llmplatform.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

    /** Every command that reads a model file takes the same --model/-m option and answers a typo alike. */
    @Test
    void modelFileCommandsShareOneOptionAndOneCheck() {
        String[][] commands = {{"info"}, {"bench"}, {"score", "--tokens", "1"}, {"generate", "--prompt", "p"},
                {"tokenize", "--text", "t"}, {"detokenize", "--ids", "1"}};
        for (String[] command : commands) {
            List<String> args = new ArrayList<>(List.of(command));
            args.addAll(List.of("-m", "/no/such/model.gguf"));
            Result r = run(args.toArray(String[]::new));
            assertThat(r.code()).as(command[0]).isNotZero();
            assertThat(r.err()).as(command[0]).contains("--model /no/such/model.gguf: no such file").doesNotContain("at dev.");
        }
    }

    /** --kv-type is one option: a bad value is refused the same way, before anything loads or starts. */
    @Test
    void kvTypeIsCheckedAlikeByEveryCommand() {
        for (String command : new String[] {"info", "score", "generate", "serve"}) {
            Result r = run(command, "--kv-type", "q4_0");
            assertThat(r.code()).as(command).isNotZero();
            assertThat(r.err()).as(command).contains("--kv-type").contains("f16, q8_0 or f32").doesNotContain("at dev.");
        }
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
