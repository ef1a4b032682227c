package dev.llmplatform.api.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPullerTest {
    static final String REPO = "acme/Tiny-GGUF";

    @TempDir
    Path dir;

    FakeHub hub;
    ModelRegistry registry;
    byte[] q4;
    byte[] q8;

    @BeforeEach
    void start() throws Exception {
        hub = new FakeHub();
        q4 = FakeHub.tinyGguf(dir, "a.gguf", 64 * 1000, 1); // ~256 KB: many chunks, room to drop mid-file
        q8 = FakeHub.tinyGguf(dir, "b.gguf", 64 * 10, 2);
        hub.file(REPO, "README.md", "# tiny".getBytes())
                .file(REPO, "tiny-Q4_K_M.gguf", q4)
                .file(REPO, "tiny-Q8_0.gguf", q8);
        registry = new ModelRegistry(dir.resolve("models"));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    ModelPuller puller(String token, int attempts) {
        return new ModelPuller(new HubClient(hub.endpoint(), token, Duration.ofSeconds(5), Duration.ofSeconds(5)), registry,
                attempts, Duration.ofMillis(10), Duration.ZERO);
    }

    /** Records every progress event, and whether the final file already existed at that moment. */
    final class Recorder implements PullProgress.Listener {
        final List<PullProgress> events = new ArrayList<>();
        final List<Boolean> finalFileExisted = new ArrayList<>();
        final Path target;

        Recorder(String fileName) {
            target = registry.directory().resolve(fileName);
        }

        @Override
        public void onProgress(PullProgress p) {
            events.add(p);
            finalFileExisted.add(Files.exists(target));
        }

        void assertMonotonicEndingAt(long total) {
            assertThat(events).isNotEmpty();
            for (int i = 1; i < events.size(); i++) {
                assertThat(events.get(i).bytes()).isGreaterThanOrEqualTo(events.get(i - 1).bytes());
            }
            assertThat(events.getLast().bytes()).isEqualTo(total);
            assertThat(events.getLast().total()).isEqualTo(total);
            assertThat(events.getLast().complete()).isTrue();
        }
    }

    @Test
    void pullsTheQuantThroughTheCdnRedirectAndVerifiesTheHash() throws Exception {
        Recorder progress = new Recorder("tiny-Q4_K_M.gguf");
        RegistryEntry entry = puller("secret", 1).pull(ModelRef.parse(REPO + ":q4_k_m", null), progress);

        Path file = registry.directory().resolve("tiny-Q4_K_M.gguf");
        assertThat(Files.readAllBytes(file)).isEqualTo(q4);
        assertThat(entry.name()).isEqualTo("tiny-Q4_K_M");
        assertThat(entry.sha256()).isEqualTo(FakeHub.sha256(q4));
        assertThat(entry.verified()).isTrue();
        assertThat(entry.source()).isEqualTo("hf://" + REPO + "/tiny-Q4_K_M.gguf");
        assertThat(entry.architecture()).isEqualTo("llama");
        assertThat(entry.quantization()).isEqualTo("Q4_K_M");
        assertThat(entry.contextLength()).isEqualTo(2048);
        assertThat(registry.directory().resolve("tiny-Q4_K_M.gguf.part")).doesNotExist();

        progress.assertMonotonicEndingAt(q4.length);
        assertThat(progress.events.size()).isGreaterThan(2);
        // Atomic completion: no report (the last one included, sent after the hash check) saw the final file.
        assertThat(progress.finalFileExisted).containsOnly(false);

        // The token goes to the hub only, never to the CDN host it redirects to.
        assertThat(hub.requestsTo("hub")).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer secret"));
        assertThat(hub.requestsTo("hub")).anySatisfy(r -> assertThat(r.path()).isEqualTo("/api/models/" + REPO));
        assertThat(hub.requestsTo("cdn")).singleElement().satisfies(r -> {
            assertThat(r.authorization()).isNull();
            assertThat(r.range()).isNull();
        });
    }

    @Test
    void anAmbiguousOrMissingChoiceListsTheCandidates() {
        assertThatThrownBy(() -> puller(null, 1).pull(ModelRef.parse(REPO, null), PullProgress.Listener.NONE))
                .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind()).isEqualTo(HubException.Kind.AMBIGUOUS))
                .hasMessageContaining("tiny-Q4_K_M.gguf").hasMessageContaining("tiny-Q8_0.gguf");
        assertThatThrownBy(() -> puller(null, 1).pull(ModelRef.parse(REPO + ":Q4_K", null), PullProgress.Listener.NONE))
                .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind()).isEqualTo(HubException.Kind.NOT_FOUND))
                .hasMessageContaining("'Q4_K'").hasMessageContaining("tiny-Q4_K_M.gguf");
        // Naming the file directly needs no listing.
        RegistryEntry e = puller(null, 1).pull(ModelRef.parse(REPO, "tiny-Q8_0.gguf"), PullProgress.Listener.NONE);
        assertThat(e.name()).isEqualTo("tiny-Q8_0");
    }

    @Test
    void aDroppedConnectionIsResumedWithARangeRequest() throws Exception {
        hub.dropNextAfter.set(100_000);
        Recorder progress = new Recorder("tiny-Q4_K_M.gguf");
        puller(null, 3).pull(ModelRef.parse(REPO + ":Q4_K_M", null), progress);

        assertThat(Files.readAllBytes(registry.resolve("tiny-Q4_K_M"))).isEqualTo(q4);
        List<FakeHub.Request> cdn = hub.requestsTo("cdn");
        assertThat(cdn).hasSize(2);
        assertThat(cdn.get(0).range()).isNull();
        long resumedAt = Long.parseLong(cdn.get(1).range().replaceAll("bytes=(\\d+)-", "$1"));
        assertThat(resumedAt).isPositive().isLessThanOrEqualTo(100_000);
        progress.assertMonotonicEndingAt(q4.length);
    }

    @Test
    void anInterruptedPullKeepsThePartialAndTheNextPullResumesIt() throws Exception {
        hub.dropNextAfter.set(100_000);
        ModelRef ref = ModelRef.parse(REPO + ":Q4_K_M", null);
        assertThatThrownBy(() -> puller(null, 1).pull(ref, PullProgress.Listener.NONE))
                .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind()).isEqualTo(HubException.Kind.TRANSFER))
                .hasMessageContaining("run the same pull again to resume");
        Path part = registry.directory().resolve("tiny-Q4_K_M.gguf.part");
        long kept = Files.size(part);
        assertThat(kept).isPositive().isLessThan(q4.length);
        assertThat(registry.directory().resolve("tiny-Q4_K_M.gguf")).doesNotExist();
        assertThat(registry.list()).isEmpty();

        Recorder progress = new Recorder("tiny-Q4_K_M.gguf");
        RegistryEntry entry = puller(null, 1).pull(ref, progress);
        assertThat(entry.verified()).isTrue();
        assertThat(Files.readAllBytes(entry.file())).isEqualTo(q4);
        assertThat(hub.requestsTo("cdn").getLast().range()).isEqualTo("bytes=" + kept + "-");
        assertThat(progress.events.getFirst().bytes()).isEqualTo(kept);
        progress.assertMonotonicEndingAt(q4.length);
        assertThat(part).doesNotExist();
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aStalledConnectionTimesOutAndIsResumed() throws Exception {
        hub.stallNextAfter.set(50_000);
        var client = new HubClient(hub.endpoint(), null, Duration.ofSeconds(5), Duration.ofMillis(500));
        RegistryEntry e = new ModelPuller(client, registry, 2, Duration.ofMillis(10), Duration.ZERO)
                .pull(ModelRef.parse(REPO + ":Q4_K_M", null), PullProgress.Listener.NONE);
        assertThat(Files.readAllBytes(e.file())).isEqualTo(q4);
        assertThat(hub.requestsTo("cdn").getLast().range()).isEqualTo("bytes=50000-");
    }

    @Test
    void aSecondPullOfTheSameFileIsRefusedWhileTheFirstRuns() throws Exception {
        Path part = registry.directory().resolve("tiny-Q8_0.gguf.part");
        try (var channel = java.nio.channels.FileChannel.open(part, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE); var lock = channel.lock()) {
            assertThatThrownBy(() -> puller(null, 1).pull(ModelRef.parse(REPO + ":Q8_0", null), PullProgress.Listener.NONE))
                    .isInstanceOfSatisfying(HubException.class, x -> assertThat(x.kind()).isEqualTo(HubException.Kind.IN_PROGRESS))
                    .hasMessageContaining("another pull");
            assertThat(part).exists(); // the running pull's file is left alone
        }
    }

    @Test
    void aHashMismatchIsRejectedAndThePartialKept() throws Exception {
        String wrong = "0".repeat(64);
        hub.reportSha(REPO, "tiny-Q8_0.gguf", wrong);
        ModelRef ref = ModelRef.parse(REPO + ":tiny-Q8_0.gguf", null);
        assertThatThrownBy(() -> puller(null, 1).pull(ref, PullProgress.Listener.NONE))
                .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind()).isEqualTo(HubException.Kind.CHECKSUM_MISMATCH))
                .hasMessageContaining(wrong).hasMessageContaining(FakeHub.sha256(q8)).hasMessageContaining("kept");
        Path part = registry.directory().resolve("tiny-Q8_0.gguf.part");
        assertThat(Files.readAllBytes(part)).isEqualTo(q8);
        assertThat(registry.directory().resolve("tiny-Q8_0.gguf")).doesNotExist();

        // Pulling again resumes at the end (the server answers 416) and checks again: still rejected, nothing re-sent.
        assertThatThrownBy(() -> puller(null, 1).pull(ref, PullProgress.Listener.NONE)).isInstanceOf(HubException.class);
        assertThat(hub.requestsTo("cdn").getLast().range()).isEqualTo("bytes=" + q8.length + "-");
        assertThat(registry.directory().resolve("tiny-Q8_0.gguf")).doesNotExist();

        // When the hub reports another hash, the partial belongs to another version: it is fetched afresh.
        hub.reportSha(REPO, "tiny-Q8_0.gguf", FakeHub.sha256(q8));
        RegistryEntry e = puller(null, 1).pull(ref, PullProgress.Listener.NONE);
        assertThat(e.verified()).isTrue();
        assertThat(hub.requestsTo("cdn").getLast().range()).isNull();
        assertThat(part).doesNotExist();
    }

    @Test
    void aPrivateRepositoryWithoutTokenIs401MentioningHfToken() {
        hub.requiredToken = "right";
        assertThatThrownBy(() -> puller(null, 1).pull(ModelRef.parse(REPO + ":Q8_0", null), PullProgress.Listener.NONE))
                .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind()).isEqualTo(HubException.Kind.UNAUTHORIZED))
                .hasMessageContaining("401").hasMessageContaining("HF_TOKEN");
        assertThatThrownBy(() -> puller("wrong", 1).pull(ModelRef.parse(REPO, "tiny-Q8_0.gguf"), PullProgress.Listener.NONE))
                .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind()).isEqualTo(HubException.Kind.UNAUTHORIZED))
                .hasMessageContaining("HF_TOKEN was sent but not accepted");
        assertThat(puller("right", 1).pull(ModelRef.parse(REPO + ":Q8_0", null), PullProgress.Listener.NONE).verified()).isTrue();
    }

    @Test
    void aGatedRepositoryIs403AskingToAcceptItsTerms() {
        hub.requiredToken = "right";
        hub.gated = true;
        assertThatThrownBy(() -> puller("right", 1).pull(ModelRef.parse(REPO + ":Q8_0", null), PullProgress.Listener.NONE))
                .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind()).isEqualTo(HubException.Kind.FORBIDDEN))
                .hasMessageContaining("403").hasMessageContaining("gated").hasMessageContaining(hub.endpoint() + "/" + REPO)
                .hasMessageContaining("HF_TOKEN");
    }

    @Test
    void anUnknownRepositoryOrFileIs404() {
        assertThatThrownBy(() -> puller(null, 1).pull(ModelRef.parse("acme/nothing", null), PullProgress.Listener.NONE))
                .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind()).isEqualTo(HubException.Kind.NOT_FOUND))
                .hasMessageContaining("repository acme/nothing was not found").hasMessageContaining("404");
        assertThatThrownBy(() -> puller(null, 1).pull(ModelRef.parse(REPO + ":missing.gguf", null), PullProgress.Listener.NONE))
                .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind()).isEqualTo(HubException.Kind.NOT_FOUND))
                .hasMessageContaining("file missing.gguf was not found in " + REPO);
        assertThat(registry.directory().resolve("missing.gguf.part")).doesNotExist();
    }

    @Test
    void aFileThatIsNotGgufIsRejectedAndNotKept() {
        byte[] html = ("<!DOCTYPE html><html>" + "x".repeat(50_000) + "</html>").getBytes();
        hub.file(REPO, "page.gguf", html);
        assertThatThrownBy(() -> puller(null, 1).pull(ModelRef.parse(REPO + ":page.gguf", null), PullProgress.Listener.NONE))
                .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind()).isEqualTo(HubException.Kind.NOT_GGUF))
                .hasMessageContaining("not a GGUF file").hasMessageContaining("<!DO");
        assertThat(registry.directory().resolve("page.gguf")).doesNotExist();
        assertThat(registry.directory().resolve("page.gguf.part")).doesNotExist();
    }

    @Test
    void pullingAModelAlreadyPresentChecksItAgainstTheHub() throws Exception {
        ModelRef ref = ModelRef.parse(REPO + ":Q8_0", null);
        puller(null, 1).pull(ref, PullProgress.Listener.NONE);
        Recorder again = new Recorder("tiny-Q8_0.gguf");
        RegistryEntry e = puller(null, 1).pull(ref, again);
        assertThat(e.sha256()).isEqualTo(FakeHub.sha256(q8));
        again.assertMonotonicEndingAt(q8.length);

        hub.reportSha(REPO, "tiny-Q8_0.gguf", "f".repeat(64));
        assertThatThrownBy(() -> puller(null, 1).pull(ref, PullProgress.Listener.NONE))
                .isInstanceOfSatisfying(HubException.class, x -> assertThat(x.kind()).isEqualTo(HubException.Kind.CONFLICT))
                .hasMessageContaining("llmp rm tiny-Q8_0");
    }
}
