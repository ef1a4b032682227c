package dev.llmplatform.api.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the registry knows about one model file or partial download beyond its bytes: its sha256 (so
 * listing never rehashes gigabytes twice) and where it came from. The size and modification time the hash
 * was computed for are kept too, so a file replaced by hand is rehashed rather than trusted.
 *
 * @param sha256         lower-case hex, or null (a partial download whose hub reported none)
 * @param size           bytes the hash is for (for a partial download: the announced total, or -1)
 * @param modifiedMillis the file's modification time when hashed (-1 for a partial download)
 * @param verified       true when the sha256 was checked against the hub's at download
 * @param source         {@code hf://owner/repo/file}, or null for a file put there by hand
 */
public record ModelFileInfo(String sha256, long size, long modifiedMillis, boolean verified, String source) {

    /** True when this was recorded for {@code file} as it is now. */
    public boolean describes(Path file) throws IOException {
        return sha256 != null && size == Files.size(file) && modifiedMillis == Files.getLastModifiedTime(file).toMillis();
    }
}
