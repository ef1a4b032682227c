package dev.llmplatform.guardrails.injection;

import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.Detector;
import dev.llmplatform.guardrails.Finding;
import dev.llmplatform.guardrails.text.FirstChars;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prompt-injection and jailbreak phrasing by rule: instruction overrides, persona/role-play attacks,
 * system-prompt extraction, chat-format delimiters smuggled into content — in English, German, French
 * and Spanish. Encoded payloads (base64, hex, rot13, leetspeak) are decoded and checked again.
 *
 * <p>Rules describe attack families from the literature, not rows of any evaluation set; they catch the
 * blatant cases cheaply, and {@link EmbeddingInjectionDetector} covers paraphrases.
 */
public final class InjectionRuleDetector implements Detector {
    private record Rule(String category, String name, Pattern pattern) {
    }

    private static final String DET = "(?:all |any |the |your |my |these |those |of |every |prior |previous |above |earlier |preceding |initial |original |system |old |current )*";
    private static final String OBJECT = "(?:instructions?|prompts?|rules|directions|guidelines|tasks?|context|commands?|directives|constraints|programming|orders|assignments?)";

    private static final List<Rule> RULES = List.of(
            rule(Category.PROMPT_INJECTION, "override-en",
                    "\\b(?:ignore|disregard|forget|skip|override|bypass|drop|abandon|neglect|discard)\\s+" + DET + OBJECT + "\\b"),
            rule(Category.PROMPT_INJECTION, "forget-everything-en",
                    "\\b(?:forget|ignore|disregard)\\s+(?:about\\s+)?(?:everything|all(?:\\s+that)?|what)\\s+(?:(?:i|you)\\s+(?:said|told|were told|have been told)|above|before|previously|so far)"),
            rule(Category.PROMPT_INJECTION, "new-instructions-en",
                    "\\b(?:new|updated|real|actual|secret)\\s+(?:instructions?|task|rules|system prompt)\\s*(?::|are|is)|\\bfrom now on,?\\s+(?:you|your|only|always)"),
            rule(Category.JAILBREAK, "persona-en",
                    "\\b(?:you are now|you're now|act as|pretend (?:to be|you are|that you are)|role-?play as|behave like|simulate)\\s+(?:an?\\s+)?(?:dan\\b|[\\w-]*\\s*)?(?:unrestricted|unfiltered|uncensored|evil|jailbroken|without (?:any )?(?:restrictions|limits|filters|rules|ethics|morals)|no (?:restrictions|limits|filters|rules))"),
            rule(Category.JAILBREAK, "jailbreak-names",
                    "\\b(?:do anything now|developer mode (?:enabled|on|activated)|jailbreak(?:ed)? mode|dan mode|aim mode|stan mode|god mode)\\b"),
            rule(Category.JAILBREAK, "no-rules-en",
                    "\\b(?:without|no|free (?:from|of))\\s+(?:any\\s+)?(?:ethical|moral|safety|content)\\s+(?:guidelines|restrictions|filters|constraints|limits|policies)"),
            rule(Category.PROMPT_INJECTION, "prompt-extraction-en",
                    "\\b(?:reveal|show|print|repeat|output|display|leak|dump|tell me|give me|write out|spell out|what (?:is|are|were))\\s+(?:me\\s+)?(?:all\\s+)?(?:of\\s+)?(?:your\\s+(?:(?:system|initial|original|hidden|secret|full|complete|exact|first|previous)\\s+)*|the\\s+(?:(?:full|complete|exact)\\s+)?(?:system|initial|original|hidden|secret)\\s+)(?:prompts?|instructions|rules|guidelines)(?:\\s+texts?)?"),
            rule(Category.PROMPT_INJECTION, "repeat-above-en",
                    "\\b(?:repeat|print|output)\\s+(?:the\\s+)?(?:words|text|everything)\\s+(?:above|before)"),
            rule(Category.PROMPT_INJECTION, "delimiters",
                    "<\\|?(?:im_start|im_end|system|endoftext|start_header_id|eot_id)\\|?>|\\[/?INST\\]|<</?SYS>>|^\\s*#{2,}\\s*(?:system|instruction)s?\\b|\\bend of (?:the )?(?:prompt|instructions|system prompt)\\b|\\b(?:system|assistant)\\s*:\\s*(?:ignore|override|new instructions)"),
            rule(Category.PROMPT_INJECTION, "override-de",
                    "\\b(?:ignoriere|ignorieren sie|vergiss|vergessen sie|missachte|überspring)\\w*\\s+(?:(?:alle|die|deine|ihre|sämtliche|bisherigen|vorherigen|vorigen|obigen|vorangegangenen|früheren)\\s+)*(?:anweisungen|instruktionen|aufgaben|befehle|regeln|vorgaben|informationen)"),
            rule(Category.PROMPT_INJECTION, "forget-everything-de",
                    "\\b(?:vergiss|vergessen sie|ignoriere|ignorieren sie)\\s+(?:einfach\\s+)?(?:alles|alle|das)\\b(?:\\s+(?:was|davor|bisher|vorher|oben|zuvor))?"),
            rule(Category.PROMPT_INJECTION, "new-task-de",
                    "\\b(?:neue|nächste)\\s+(?:aufgabe|anweisung|anweisungen)\\s*:|\\bab (?:jetzt|sofort) (?:bist du|sind sie|wirst du)|\\bnun bist du\\b"),
            rule(Category.PROMPT_INJECTION, "override-fr",
                    "\\b(?:ignore[zr]?|oublie[zr]?)\\s+(?:(?:toutes|tous|les|tes|vos|des)\\s+)*(?:instructions|consignes|règles|directives)"),
            rule(Category.PROMPT_INJECTION, "override-es",
                    "\\b(?:ignora|ignore|olvida|olvide)\\s+(?:(?:todas|todos|las|los|tus|sus)\\s+)*(?:instrucciones|reglas|indicaciones|órdenes)"),
            rule(Category.PROMPT_INJECTION, "prompt-extraction-de",
                    "\\b(?:zeige|zeig|gib|nenne|verrate|drucke)\\s+(?:mir\\s+)?(?:deine|ihre|die|den)\\s+(?:(?:system|ursprünglichen|geheimen|versteckten|gesamten)\\s*)*(?:prompts?|anweisungen|instruktionen|systemprompt)"));

    /**
     * Every rule needs one of these stems; texts without any skip the regular expressions (most texts, and
     * most of the cost).
     */
    private static final List<String> TRIGGERS = List.of("ignor", "disregard", "forget", "skip", "overrid", "bypass", "drop",
            "abandon", "neglect", "discard", "instruction", "from now on", "you are now", "you're now", "act as", "pretend",
            "role", "behave", "simulat", "anything now", "mode", "without", "free from", "free of", "no ", "prompt",
            "repeat", "print", "output", "task", "rule", "guideline", "<|", "<<", "<im", "<system", "<end", "<start", "<eot", "[inst", "[/inst", "#", "end of", "system", "assistant",
            "vergiss", "vergessen", "missacht", "überspring", "aufgabe", "anweisung", "ab jetzt", "ab sofort", "nun bist",
            "zeig", "gib ", "nenne", "verrat", "druck", "oubli", "consigne", "olvid", "instrucc", "regla");

    static boolean mayMatch(String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        for (String t : TRIGGERS) {
            if (lower.contains(t)) {
                return true;
            }
        }
        return false;
    }

    static final Pattern BASE64_RUN = Pattern.compile("[A-Za-z0-9+/]{16,}={0,2}");
    /** A run begins at the start of a maximal run of its characters (inside one, the run from its start is longer). */
    static final FirstChars BASE64_FIRST = FirstChars.ascii("A-Za-z0-9+/").notAfter("A-Za-z0-9+/");
    static final Pattern HEX_RUN = Pattern.compile("\\b(?:[0-9A-Fa-f]{2}[ :]?){12,}\\b");
    /** A hex digit where a word begins ({@code \b} before a word character). */
    static final FirstChars HEX_FIRST = FirstChars.ascii("0-9A-Fa-f").notAfter("A-Za-z0-9_");

    private static Rule rule(String category, String name, String regex) {
        return new Rule(category, name, Pattern.compile("(?iu)" + regex, Pattern.MULTILINE));
    }

    @Override
    public List<Finding> detect(String text) {
        List<Finding> found = new ArrayList<>();
        matchRules(text, 0, text.length(), "", 0.9, found);
        if (!found.isEmpty()) {
            return found;
        }
        // Encoded payloads: the decoded text is checked, the finding spans the encoded run.
        FirstChars.Scan base64 = BASE64_FIRST.scan(BASE64_RUN, text);
        while (base64.find()) {
            MatchResult b = base64.match();
            String decoded = decodeBase64(b.group());
            if (decoded != null) {
                matchRules(decoded, b.start(), b.end(), ":base64", 0.9, found);
            }
        }
        FirstChars.Scan hex = HEX_FIRST.scan(HEX_RUN, text);
        while (hex.find()) {
            MatchResult h = hex.match();
            String decoded = decodeHex(h.group());
            if (decoded != null) {
                matchRules(decoded, h.start(), h.end(), ":hex", 0.9, found);
            }
        }
        if (found.isEmpty()) {
            matchRules(rot13(text), 0, text.length(), ":rot13", 0.85, found);
        }
        if (found.isEmpty()) {
            String unleet = unLeet(text);
            if (!unleet.equals(text)) {
                matchRules(unleet, 0, text.length(), ":leetspeak", 0.85, found);
            }
        }
        return found;
    }

    /** Matches in {@code text}; with a non-empty {@code via} the finding covers [spanStart, spanEnd) of the original. */
    private static void matchRules(String text, int spanStart, int spanEnd, String via, double score, List<Finding> out) {
        if (!mayMatch(text)) {
            return;
        }
        for (Rule r : RULES) {
            Matcher m = r.pattern.matcher(text);
            while (m.find()) {
                int s = via.isEmpty() ? m.start() : spanStart;
                int e = via.isEmpty() ? m.end() : spanEnd;
                out.add(new Finding(r.category, s, e, score, "injection-rules:" + r.name + via));
                if (!via.isEmpty()) {
                    return;
                }
            }
        }
    }

    static String decodeBase64(String run) {
        try {
            byte[] bytes = Base64.getDecoder().decode(run.length() % 4 == 0 ? run : run + "=".repeat((4 - run.length() % 4) % 4));
            return printableUtf8(bytes);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String decodeHex(String run) {
        String compact = run.replaceAll("[ :]", "");
        if (compact.length() % 2 != 0) {
            return null;
        }
        return printableUtf8(HexFormat.of().parseHex(compact));
    }

    /** Decoded bytes count only if they are valid UTF-8 text, mostly letters and spaces. */
    private static String printableUtf8(byte[] bytes) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            long letters = s.chars().filter(c -> Character.isLetter(c) || c == ' ').count();
            return letters >= 0.8 * s.length() ? s : null;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static String rot13(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z') {
                c = (char) ('a' + (c - 'a' + 13) % 26);
            } else if (c >= 'A' && c <= 'Z') {
                c = (char) ('A' + (c - 'A' + 13) % 26);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** Leetspeak digits and symbols back to letters (only between letters, so numbers stay numbers). */
    static String unLeet(String s) {
        StringBuilder sb = new StringBuilder(s);
        for (int i = 0; i < sb.length(); i++) {
            char c = sb.charAt(i);
            boolean besideLetter = (i > 0 && Character.isLetter(s.charAt(i - 1))) || (i + 1 < s.length() && Character.isLetter(s.charAt(i + 1)));
            if (!besideLetter) {
                continue;
            }
            char r = switch (c) {
                case '0' -> 'o';
                case '1', '!' -> 'i';
                case '3' -> 'e';
                case '4', '@' -> 'a';
                case '5', '$' -> 's';
                case '7' -> 't';
                case '|' -> 'l';
                default -> c;
            };
            sb.setCharAt(i, r);
        }
        return sb.toString();
    }
}
