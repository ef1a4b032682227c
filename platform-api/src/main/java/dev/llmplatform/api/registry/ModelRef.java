package dev.llmplatform.api.registry;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What {@code llmp pull} was asked for: {@code OWNER/REPO[:FILE_OR_QUANT]}. The part after the colon is
 * either a file in the repository (it ends with {@code .gguf}) or a quantization such as {@code Q4_K_M};
 * without it the repository must hold exactly one GGUF file.
 *
 * @param repo     {@code owner/name} as the hub spells it
 * @param file     a file path inside the repository, or null
 * @param quant    a quantization name to pick the file by, or null
 */
public record ModelRef(String repo, String file, String quant) {
    // The hub's own rule for repository ids: letters, digits, '-', '_', '.'; no leading/trailing '.' or '-'.
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?");

    /** Parses {@code OWNER/REPO[:FILE_OR_QUANT]}; {@code fileOverride} (may be null) wins over the suffix. */
    public static ModelRef parse(String ref, String fileOverride) {
        if (ref == null || ref.isBlank()) {
            throw new IllegalArgumentException("a model reference is required: OWNER/REPO[:FILE_OR_QUANT]");
        }
        String s = ref.strip();
        String selector = null;
        int colon = s.indexOf(':');
        if (colon >= 0) {
            selector = s.substring(colon + 1);
            s = s.substring(0, colon);
        }
        String[] parts = s.split("/", -1);
        if (parts.length != 2 || !PART.matcher(parts[0]).matches() || !PART.matcher(parts[1]).matches()
                || parts[1].contains("..")) {
            throw new IllegalArgumentException("'" + ref + "' is not a Hugging Face model reference: expected OWNER/REPO[:FILE_OR_QUANT],"
                    + " e.g. Qwen/Qwen2.5-0.5B-Instruct-GGUF:q4_k_m");
        }
        if (fileOverride != null && !fileOverride.isBlank()) {
            selector = fileOverride.strip();
        }
        if (selector == null || selector.isBlank()) {
            return new ModelRef(s, null, null);
        }
        if (selector.toLowerCase(Locale.ROOT).endsWith(".gguf")) {
            requireSafeFile(selector, ref);
            return new ModelRef(s, selector, null);
        }
        if (!selector.matches("[A-Za-z0-9_.]+")) {
            throw new IllegalArgumentException("'" + selector + "' is neither a .gguf file nor a quantization name such as Q4_K_M");
        }
        return new ModelRef(s, null, selector);
    }

    private static void requireSafeFile(String file, String ref) {
        for (String segment : file.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.contains("\\")) {
                throw new IllegalArgumentException("'" + file + "' in '" + ref + "' is not a file path inside a repository");
            }
        }
    }

    @Override
    public String toString() {
        return repo + (file != null ? ":" + file : quant != null ? ":" + quant : "");
    }
}
