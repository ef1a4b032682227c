package dev.llmplatform.api.registry;

import java.nio.file.Path;

/**
 * One model of the registry, as {@code llmp models} and {@code GET /v1/admin/models/registry} show it.
 *
 * @param name           what clients and commands call it: the file name without {@code .gguf}
 * @param path           the GGUF file (absolute)
 * @param size           bytes
 * @param architecture   {@code general.architecture}, or null when the header cannot be read
 * @param quantization   the file type ({@code Q4_K_M}, …) from {@code general.file_type}, else the
 *                       storage type holding most weight bytes; null when unknown
 * @param contextLength  the trained context ({@code <arch>.context_length}), 0 when absent
 * @param sha256         lower-case hex of the whole file (cached beside it in {@code FILE.gguf.llmp})
 * @param verified       true when the sha256 was checked against the hub's at download
 * @param source         where it came from ({@code hf://owner/repo/file}), or null for files put there by hand
 * @param error          why the header could not be read, or null
 */
public record RegistryEntry(String name, String path, long size, String architecture, String quantization,
        long contextLength, String sha256, boolean verified, String source, String error) {

    public Path file() {
        return Path.of(path);
    }
}
