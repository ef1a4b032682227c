package dev.llmplatform.engine.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the read-only reference data ({@code ../shared/testdata} beside the checkout, or
 * {@code $LLMP_TESTDATA}). Tests that need it call {@link #require(String)}: when the data is absent
 * they are skipped with a message, except under {@code CI=true}, where absence is a failure.
 *
 * <p>Shared with the other modules through this module's test-jar.
 */
public final class SharedTestData {
    private SharedTestData() {
    }

    /** The test data root, if present. */
    public static Path rootOrNull() {
        String env = System.getenv("LLMP_TESTDATA");
        if (env != null && !env.isBlank()) {
            return Files.isDirectory(Path.of(env)) ? Path.of(env) : null;
        }
        String repo = System.getenv("LLMP_REPO_ROOT");
        Path start = repo != null && !repo.isBlank() ? Path.of(repo) : Path.of("").toAbsolutePath();
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolveSibling("shared").resolve("testdata");
            if (Files.isDirectory(candidate) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return candidate;
            }
        }
        return null;
    }

    /** {@code relative} under the test data root; skips (or fails under CI) when absent. */
    public static Path require(String relative) {
        Path root = rootOrNull();
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (root == null || !Files.exists(root.resolve(relative))) {
            String msg = "shared test data '" + relative + "' not found (expected ../shared/testdata beside the"
                    + " checkout, or LLMP_TESTDATA)";
            if (ci) {
                throw new AssertionError(msg + "; under CI=true the reference data is required");
            }
            Assumptions.abort(msg + "; skipping");
        }
        return root.resolve(relative);
    }
}
