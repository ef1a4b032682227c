package dev.llmplatform.api.registry;

import java.util.List;
import java.util.Locale;

/** Picks the GGUF file a pull means out of a repository's file list. */
final class GgufFileChoice {
    private GgufFileChoice() {
    }

    /**
     * The one {@code .gguf} file of {@code files} matching {@code quant} (null: any). A quantization matches
     * a file whose name has it as a whole word between '-', '.' or '/' ({@code Q4_K} does not match
     * {@code Q4_K_M}), ignoring case. Split files ({@code -00001-of-00003.gguf}) are not supported.
     */
    static String choose(String repo, List<String> files, String quant) {
        List<String> ggufs = files.stream().filter(f -> f.toLowerCase(Locale.ROOT).endsWith(".gguf")).toList();
        if (ggufs.isEmpty()) {
            throw new HubException(HubException.Kind.NOT_FOUND, repo + " has no .gguf files (its files: "
                    + abbreviate(files) + ")");
        }
        List<String> matching = quant == null ? ggufs : ggufs.stream().filter(f -> hasWord(f, quant)).toList();
        if (matching.size() == 1) {
            return matching.getFirst();
        }
        if (matching.isEmpty()) {
            throw new HubException(HubException.Kind.NOT_FOUND, repo + " has no .gguf file for quantization '" + quant
                    + "'; its GGUF files: " + abbreviate(ggufs));
        }
        throw new HubException(HubException.Kind.AMBIGUOUS, repo + " has " + matching.size() + " GGUF files"
                + (quant == null ? "" : " matching '" + quant + "'") + "; name one with " + repo
                + ":FILE or a quantization: " + abbreviate(matching));
    }

    private static boolean hasWord(String file, String word) {
        String name = file.toLowerCase(Locale.ROOT);
        name = name.substring(0, name.length() - ".gguf".length());
        for (String token : name.split("[-./]")) {
            if (token.equals(word.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static String abbreviate(List<String> names) {
        int shown = Math.min(names.size(), 20);
        String list = String.join(", ", names.subList(0, shown));
        return names.size() > shown ? list + ", … (" + (names.size() - shown) + " more)" : list;
    }
}
