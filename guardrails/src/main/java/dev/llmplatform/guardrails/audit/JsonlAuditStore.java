package dev.llmplatform.guardrails.audit;

import dev.llmplatform.guardrails.Category;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * Audit events as JSON lines in {@code audit-NNNNNN.jsonl} files under one directory. The current file
 * rotates after {@code maxFileBytes}; only the newest {@code maxFiles} files are kept, so the trail is
 * bounded on disk. Queries read the files newest first and stop once the page is full.
 *
 * <p>The server keeps its trail in its state database since that exists; it reads a trail of these files
 * once ({@link #forEachEvent}) to import it. This store remains for embedding the guardrails without a
 * database.
 */
public final class JsonlAuditStore implements AuditStore {
    private static final Pattern FILE = Pattern.compile("audit-(\\d{6})\\.jsonl");

    private final Path dir;
    private final long maxFileBytes;
    private final int maxFiles;
    private final ObjectMapper json = new ObjectMapper();
    private BufferedWriter writer;
    private int currentIndex;
    private long currentBytes;

    public JsonlAuditStore(Path dir, long maxFileBytes, int maxFiles) {
        if (maxFileBytes < 1024 || maxFiles < 1) {
            throw new IllegalArgumentException("need maxFileBytes >= 1024 and maxFiles >= 1");
        }
        this.dir = dir;
        this.maxFileBytes = maxFileBytes;
        this.maxFiles = maxFiles;
        try {
            Files.createDirectories(dir);
            List<Integer> existing = fileIndexes();
            currentIndex = existing.isEmpty() ? 1 : existing.getLast();
            open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the audit directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** 10 files of 10 MB: about 300,000 events. */
    public static JsonlAuditStore withDefaults(Path dir) {
        return new JsonlAuditStore(dir, 10L << 20, 10);
    }

    @Override
    public synchronized void record(AuditEvent event) {
        try {
            String line = json.writeValueAsString(event) + "\n";
            if (currentBytes > 0 && currentBytes + line.length() > maxFileBytes) {
                rotate();
            }
            writer.write(line);
            writer.flush();
            currentBytes += line.getBytes(StandardCharsets.UTF_8).length;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit trail in " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public AuditPage query(AuditQuery q) {
        List<Path> files;
        synchronized (this) {
            files = fileIndexes().reversed().stream().map(this::file).toList();
        }
        List<AuditEvent> page = new ArrayList<>();
        int skipped = 0;
        for (Path f : files) {
            List<AuditEvent> events = read(f);
            for (int i = events.size() - 1; i >= 0; i--) {
                AuditEvent e = events.get(i);
                if (!matches(e, q)) {
                    continue;
                }
                if (skipped < q.offset()) {
                    skipped++;
                    continue;
                }
                if (page.size() == q.limit()) {
                    return new AuditPage(page, true);
                }
                page.add(e);
            }
        }
        return new AuditPage(page, false);
    }

    /**
     * Every event of the trail in {@code dir}, oldest first, without opening it for writing; nothing when
     * the directory does not exist. Lines cut short by a crash are skipped.
     */
    public static void forEachEvent(Path dir, Consumer<AuditEvent> action) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        JsonlAuditStore reader = new JsonlAuditStore(dir);
        for (int index : reader.fileIndexes()) {
            reader.read(reader.file(index)).forEach(action);
        }
    }

    /** A reader only: no file is opened for writing. */
    private JsonlAuditStore(Path dir) {
        this.dir = dir;
        this.maxFileBytes = Long.MAX_VALUE;
        this.maxFiles = Integer.MAX_VALUE;
    }

    static boolean matches(AuditEvent e, AuditQuery q) {
        return (q.category() == null || q.category().equals(e.category()) || q.category().equals(Category.family(e.category())))
                && (q.action() == null || q.action().equals(e.action()))
                && (q.since() == null || !e.time().isBefore(q.since()));
    }

    private List<AuditEvent> read(Path f) {
        List<AuditEvent> events = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    events.add(json.readValue(line, AuditEvent.class));
                } catch (JacksonException ignored) {
                    // A line cut short by a crash: the rest of the trail stays readable.
                }
            }
        } catch (java.nio.file.NoSuchFileException gone) {
            // Rotated away while we were reading.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit trail " + f + ": " + e.getMessage(), e);
        }
        return events;
    }

    private void rotate() throws IOException {
        writer.close();
        currentIndex++;
        open();
        List<Integer> all = fileIndexes();
        for (int i = 0; i < all.size() - maxFiles; i++) {
            Files.deleteIfExists(file(all.get(i)));
        }
    }

    private void open() throws IOException {
        Path f = file(currentIndex);
        writer = Files.newBufferedWriter(f, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        currentBytes = Files.size(f);
    }

    private Path file(int index) {
        return dir.resolve("audit-%06d.jsonl".formatted(index));
    }

    private List<Integer> fileIndexes() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> FILE.matcher(p.getFileName().toString())).filter(Matcher::matches)
                    .map(m -> Integer.parseInt(m.group(1))).sorted(Comparator.naturalOrder()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the audit directory " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
