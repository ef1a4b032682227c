package dev.llmplatform.api.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * Pulls a GGUF file from the hub into a {@link ModelRegistry}: bytes go to {@code NAME.gguf.part}
 * (resumed with a {@code Range} request when it exists, also after a dropped connection within the same
 * pull), the first bytes must be the GGUF magic, the whole is hashed on the way and compared with the
 * sha256 the hub reports, and only then is the file renamed atomically to {@code NAME.gguf}. A mismatch
 * or an interrupted transfer leaves the partial file in place, so the next pull can resume it.
 */
public final class ModelPuller {
    private static final byte[] GGUF_MAGIC = {'G', 'G', 'U', 'F'};

    private final HubClient hub;
    private final ModelRegistry registry;
    private final int maxAttempts;
    private final Duration retryDelay;
    private final Duration progressInterval;

    public ModelPuller(HubClient hub, ModelRegistry registry) {
        this(hub, registry, 5, Duration.ofSeconds(2), Duration.ofMillis(250));
    }

    /**
     * @param maxAttempts       connections tried per pull before giving up (each resumes where the last stopped)
     * @param retryDelay        wait before the second attempt; doubled for each further one
     * @param progressInterval  least time between two progress reports (the first and last are always sent)
     */
    public ModelPuller(HubClient hub, ModelRegistry registry, int maxAttempts, Duration retryDelay, Duration progressInterval) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.hub = hub;
        this.registry = registry;
        this.maxAttempts = maxAttempts;
        this.retryDelay = retryDelay;
        this.progressInterval = progressInterval;
    }

    public ModelRegistry registry() {
        return registry;
    }

    /** Downloads {@code ref} unless it is already in the registry with the hub's content; returns its entry. */
    public RegistryEntry pull(ModelRef ref, PullProgress.Listener listener) {
        String file = ref.file() != null ? ref.file() : GgufFileChoice.choose(ref.repo(), hub.listFiles(ref.repo()), ref.quant());
        String fileName = file.substring(file.lastIndexOf('/') + 1);
        if (!fileName.toLowerCase(Locale.ROOT).endsWith(ModelRegistry.EXTENSION) || fileName.startsWith(".")) {
            throw new HubException(HubException.Kind.NOT_GGUF, file + " is not a .gguf file");
        }
        String name = fileName.substring(0, fileName.length() - ModelRegistry.EXTENSION.length());
        Path target = registry.fileOf(name);
        String source = "hf://" + ref.repo() + "/" + file;
        if (Files.exists(target)) {
            return alreadyPresent(ref.repo(), file, target, listener);
        }
        Path part = registry.partialOf(target.getFileName().toString());
        Transferred t;
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            lock(channel, part);
            t = transfer(ref.repo(), file, fileName, channel, part, source, listener);
            channel.force(true);
        } catch (HubException e) {
            if (e.kind() == HubException.Kind.NOT_GGUF || (e.kind() != HubException.Kind.IN_PROGRESS && isEmpty(part))) {
                deleteQuietly(part); // nothing in it is worth resuming
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + part + ": " + e.getMessage(), e);
        }
        return complete(part, target, t, source);
    }

    private record Transferred(long size, String sha256, String expectedSha256) {}

    private RegistryEntry complete(Path part, Path target, Transferred t, String source) {
        if (t.expectedSha256 != null && !t.expectedSha256.equals(t.sha256)) {
            throw new HubException(HubException.Kind.CHECKSUM_MISMATCH, target.getFileName() + ": the downloaded bytes hash to sha256 "
                    + t.sha256 + " but the hub reports " + t.expectedSha256 + "; the file was not added. The partial download is kept in "
                    + part + " (pull again to retry; `llmp rm " + nameOf(target) + "` discards it to start over)");
        }
        try {
            long modified = Files.getLastModifiedTime(part).toMillis();
            // The metadata first: a rename keeps the modification time, so it describes the final file.
            registry.files().write(target, new ModelFileInfo(t.sha256, t.size, modified, t.expectedSha256 != null, source));
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            registry.files().delete(part);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + part + " to " + target + ": " + e.getMessage(), e);
        }
        return registry.describe(target);
    }

    private RegistryEntry alreadyPresent(String repo, String file, Path target, PullProgress.Listener listener) {
        String remote;
        try (HubClient.Download d = hub.open(repo, file, 0)) {
            remote = d.sha256();
        } catch (IOException e) {
            throw new HubException(HubException.Kind.TRANSFER, repo + "/" + file + ": " + e.getMessage(), e);
        }
        RegistryEntry entry = registry.describe(target);
        if (remote != null && !remote.equals(entry.sha256())) {
            throw new HubException(HubException.Kind.CONFLICT, target.getFileName() + " is already in the registry with other content"
                    + " (sha256 " + entry.sha256() + ", the hub has " + remote + "); `llmp rm " + entry.name() + "` first to replace it");
        }
        listener.onProgress(new PullProgress(target.getFileName().toString(), entry.size(), entry.size(), 0, 0));
        return entry;
    }

    private Transferred transfer(String repo, String file, String fileName, FileChannel channel, Path part, String source,
            PullProgress.Listener listener) throws IOException {
        ModelFileInfo partInfo = registry.files().read(part).orElse(null);
        HashedPrefix hash = new HashedPrefix();
        long total = -1;
        String expected = null;
        ProgressMeter meter = new ProgressMeter(fileName, listener, progressInterval);
        for (int attempt = 1; ; attempt++) {
            long have = channel.size();
            try (HubClient.Download d = hub.open(repo, file, have)) {
                expected = d.sha256() != null ? d.sha256() : expected;
                total = d.totalSize() >= 0 ? d.totalSize() : total;
                if (have > 0 && partInfo != null && partInfo.sha256() != null && expected != null
                        && !partInfo.sha256().equals(expected)) {
                    // The partial belongs to an older version of the file: start over.
                    channel.truncate(0);
                    partInfo = null;
                    attempt--;
                    continue;
                }
                if (partInfo == null || !Objects.equals(partInfo.sha256(), expected) || partInfo.size() != total) {
                    partInfo = new ModelFileInfo(expected, total, -1, false, source);
                    registry.files().write(part, partInfo);
                }
                long pos = have;
                if (d.status() == 416) {
                    if (total >= 0 && have == total) {
                        pos = have; // a previous run got every byte; only the verification was left
                    } else {
                        channel.truncate(0);
                        throw new IOException("the server refused to resume at byte " + have + " (416); starting over");
                    }
                } else if (d.status() == 200 && have > 0) {
                    channel.truncate(0); // the server ignored the Range header and sends the whole file
                    pos = 0;
                } else if (d.status() == 206 && d.start() != have) {
                    throw new HubException(HubException.Kind.TRANSFER, fileName + ": asked for bytes from " + have
                            + " but the server sent them from " + d.start());
                }
                hash.rewindTo(channel, pos);
                meter.startAttempt(pos, total);
                if (d.status() != 416) {
                    pos = copy(d.body(), channel, hash, total, meter, fileName, repo);
                }
                checkMagic(channel, fileName, repo);
                if (total >= 0 && pos < total) {
                    throw new IOException("the connection closed after " + pos + " of " + total + " bytes");
                }
                if (total >= 0 && pos > total) {
                    throw new HubException(HubException.Kind.TRANSFER, fileName + ": received " + pos + " bytes, more than the "
                            + total + " the hub announced");
                }
                total = pos;
                meter.report(pos, total, true);
                return new Transferred(total, HexFormat.of().formatHex(hash.digest.digest()), expected);
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new HubException(HubException.Kind.TRANSFER, fileName + ": pull cancelled; the partial download is kept in " + part, e);
                }
                if (attempt >= maxAttempts) {
                    throw new HubException(HubException.Kind.TRANSFER, fileName + ": the download stopped at " + channel.size()
                            + (total >= 0 ? " of " + total : "") + " bytes after " + attempt + " attempt(s) (" + e.getMessage()
                            + "); the partial download is kept in " + part + ": run the same pull again to resume", e);
                }
                sleep(retryDelay.multipliedBy(1L << Math.min(attempt - 1, 5)));
            }
        }
    }

    /** Streams the body to the file from {@code hash.length}, hashing it; returns the new end. */
    private long copy(InputStream in, FileChannel channel, HashedPrefix hash, long total, ProgressMeter meter,
            String fileName, String repo) throws IOException {
        long pos = hash.length;
        byte[] buf = new byte[1 << 16];
        boolean magicChecked = pos >= GGUF_MAGIC.length;
        if (magicChecked) {
            checkMagic(channel, fileName, repo);
        }
        for (int n; (n = in.read(buf)) >= 0; ) {
            if (Thread.currentThread().isInterrupted()) {
                throw new IOException("interrupted");
            }
            ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
            while (b.hasRemaining()) {
                pos += channel.write(b, pos);
            }
            hash.digest.update(buf, 0, n);
            hash.length = pos;
            if (!magicChecked && pos >= GGUF_MAGIC.length) {
                checkMagic(channel, fileName, repo); // fail on the first bytes, not after gigabytes
                magicChecked = true;
            }
            meter.report(pos, total, false);
        }
        return pos;
    }

    private static void checkMagic(FileChannel channel, String fileName, String repo) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(GGUF_MAGIC.length);
        while (head.hasRemaining() && channel.read(head, head.position()) > 0) {
            // read until full or end of file
        }
        byte[] got = java.util.Arrays.copyOf(head.array(), head.position());
        if (!java.util.Arrays.equals(got, GGUF_MAGIC)) {
            throw new HubException(HubException.Kind.NOT_GGUF, fileName + " from " + repo + " is not a GGUF file (it starts with "
                    + describeBytes(got) + ", not \"GGUF\")");
        }
    }

    private static String describeBytes(byte[] b) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte x : b) {
            sb.append(x >= 0x20 && x < 0x7f ? String.valueOf((char) x) : String.format(Locale.ROOT, "\\x%02x", x & 0xff));
        }
        return sb.append('"').toString();
    }

    /**
     * The sha256 state of the partial file's first {@code length} bytes. Kept across attempts of one pull,
     * so a dropped connection costs no rehash; a partial left by an earlier run is hashed once at start.
     */
    private static final class HashedPrefix {
        MessageDigest digest = ModelRegistry.newSha256();
        long length;

        void rewindTo(FileChannel channel, long end) throws IOException {
            if (end == length) {
                return;
            }
            digest = ModelRegistry.newSha256();
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            for (long pos = 0; pos < end; ) {
                buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
                int n = channel.read(buf, pos);
                if (n < 0) {
                    throw new IOException("the partial file is shorter than expected");
                }
                buf.flip();
                digest.update(buf);
                pos += n;
            }
            length = end;
        }
    }

    private static void lock(FileChannel channel, Path part) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new HubException(HubException.Kind.IN_PROGRESS, "another pull is already downloading " + part.getFileName());
        }
        // Released when the channel closes.
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(HubException.Kind.TRANSFER, "pull cancelled", e);
        }
    }

    private void deleteQuietly(Path part) {
        try {
            Files.deleteIfExists(part);
            registry.files().delete(part);
        } catch (IOException | RuntimeException ignored) {
            // The next pull overwrites it anyway.
        }
    }

    private static boolean isEmpty(Path part) {
        try {
            return Files.size(part) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static String nameOf(Path target) {
        String n = target.getFileName().toString();
        return n.substring(0, n.length() - ModelRegistry.EXTENSION.length());
    }

    /** Turns byte counts into rate-limited progress reports with rate and ETA. */
    private static final class ProgressMeter {
        private final String file;
        private final PullProgress.Listener listener;
        private final long intervalNanos;
        private long attemptStartBytes;
        private long attemptStartNanos;
        private long lastReportNanos;
        private long lastBytes = -1;

        ProgressMeter(String file, PullProgress.Listener listener, Duration interval) {
            this.file = file;
            this.listener = listener;
            this.intervalNanos = interval.toNanos();
        }

        void startAttempt(long bytes, long total) {
            attemptStartBytes = bytes;
            attemptStartNanos = System.nanoTime();
            report(bytes, total, true);
        }

        void report(long bytes, long total, boolean force) {
            long now = System.nanoTime();
            if (!force && now - lastReportNanos < intervalNanos) {
                return;
            }
            if (bytes < lastBytes) {
                return; // a restart from zero is not progress; the next reports catch up
            }
            lastReportNanos = now;
            lastBytes = bytes;
            double seconds = (now - attemptStartNanos) / 1e9;
            double rate = seconds > 0.05 ? (bytes - attemptStartBytes) / seconds : 0;
            long eta = total >= 0 && rate > 0 ? (long) Math.ceil((total - bytes) / rate) : total >= 0 && bytes == total ? 0 : -1;
            listener.onProgress(new PullProgress(file, bytes, total, rate, eta));
        }
    }
}
