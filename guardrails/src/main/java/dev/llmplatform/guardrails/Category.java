package dev.llmplatform.guardrails;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finding categories and the families policies may address them by ({@code PII}, {@code SECRET}, ...).
 * PII categories use the entity names of Microsoft Presidio so evaluation sets in its format compare
 * directly.
 */
public final class Category {
    private Category() {
    }

    public static final String EMAIL_ADDRESS = "EMAIL_ADDRESS";
    public static final String PHONE_NUMBER = "PHONE_NUMBER";
    public static final String CREDIT_CARD = "CREDIT_CARD";
    public static final String IBAN_CODE = "IBAN_CODE";
    public static final String US_SSN = "US_SSN";
    public static final String IP_ADDRESS = "IP_ADDRESS";
    public static final String DATE_TIME = "DATE_TIME";
    public static final String DOMAIN_NAME = "DOMAIN_NAME";
    public static final String US_DRIVER_LICENSE = "US_DRIVER_LICENSE";
    public static final String AGE = "AGE";
    public static final String ZIP_CODE = "ZIP_CODE";
    public static final String PERSON = "PERSON";
    public static final String STREET_ADDRESS = "STREET_ADDRESS";
    public static final String GPE = "GPE";
    public static final String NRP = "NRP";
    public static final String TITLE = "TITLE";
    public static final String ORGANIZATION = "ORGANIZATION";

    public static final String AWS_ACCESS_KEY = "AWS_ACCESS_KEY";
    public static final String AWS_SECRET_KEY = "AWS_SECRET_KEY";
    public static final String GITHUB_TOKEN = "GITHUB_TOKEN";
    public static final String SLACK_TOKEN = "SLACK_TOKEN";
    public static final String STRIPE_KEY = "STRIPE_KEY";
    public static final String GOOGLE_API_KEY = "GOOGLE_API_KEY";
    public static final String OPENAI_API_KEY = "OPENAI_API_KEY";
    public static final String PRIVATE_KEY = "PRIVATE_KEY";
    public static final String JWT = "JWT";
    public static final String CONNECTION_STRING = "CONNECTION_STRING";
    public static final String CREDENTIAL = "CREDENTIAL";
    public static final String HIGH_ENTROPY_SECRET = "HIGH_ENTROPY_SECRET";

    public static final String PROMPT_INJECTION = "PROMPT_INJECTION";
    public static final String JAILBREAK = "JAILBREAK";
    public static final String INVISIBLE_TEXT = "INVISIBLE_TEXT";
    public static final String HOMOGLYPHS = "HOMOGLYPHS";
    public static final String DENY_LIST = "DENY_LIST";
    /** Topic findings are {@code TOPIC_<NAME>}, e.g. {@code TOPIC_WEAPONS}. */
    public static final String TOPIC_PREFIX = "TOPIC_";
    public static final String SYSTEM_PROMPT_LEAK = "SYSTEM_PROMPT_LEAK";

    public static final Set<String> PII = Set.of(EMAIL_ADDRESS, PHONE_NUMBER, CREDIT_CARD, IBAN_CODE, US_SSN, IP_ADDRESS,
            DATE_TIME, DOMAIN_NAME, US_DRIVER_LICENSE, AGE, ZIP_CODE, PERSON, STREET_ADDRESS, GPE, NRP, TITLE, ORGANIZATION);
    public static final Set<String> SECRETS = Set.of(AWS_ACCESS_KEY, AWS_SECRET_KEY, GITHUB_TOKEN, SLACK_TOKEN, STRIPE_KEY,
            GOOGLE_API_KEY, OPENAI_API_KEY, PRIVATE_KEY, JWT, CONNECTION_STRING, CREDENTIAL, HIGH_ENTROPY_SECRET);

    /** The families a policy can name instead of single categories. */
    public static final Set<String> FAMILIES = Set.of("PII", "SECRET", "INJECTION", "OBFUSCATION", "DENY_LIST", "TOPIC", "LEAK");

    /** The family a category belongs to. */
    public static String family(String category) {
        if (PII.contains(category)) {
            return "PII";
        }
        if (SECRETS.contains(category)) {
            return "SECRET";
        }
        if (category.startsWith(TOPIC_PREFIX)) {
            return "TOPIC";
        }
        return switch (category) {
            case PROMPT_INJECTION, JAILBREAK -> "INJECTION";
            case INVISIBLE_TEXT, HOMOGLYPHS -> "OBFUSCATION";
            case DENY_LIST -> "DENY_LIST";
            case SYSTEM_PROMPT_LEAK -> "LEAK";
            default -> "OTHER";
        };
    }

    /** Whether a policy may name this key in {@code actions} or {@code thresholds}. */
    public static boolean isKnown(String key) {
        return PII.contains(key) || SECRETS.contains(key) || FAMILIES.contains(key) || key.startsWith(TOPIC_PREFIX)
                || !family(key).equals("OTHER");
    }

    private static final Map<String, String> PLACEHOLDER_LABELS = Map.of(EMAIL_ADDRESS, "EMAIL", PHONE_NUMBER, "PHONE",
            CREDIT_CARD, "CARD", IBAN_CODE, "IBAN", US_SSN, "SSN", IP_ADDRESS, "IP", DOMAIN_NAME, "URL",
            US_DRIVER_LICENSE, "DRIVER_LICENSE", STREET_ADDRESS, "ADDRESS", DATE_TIME, "DATE");

    /** The short label used in placeholders, e.g. {@code EMAIL} for {@code <EMAIL_1>}. */
    public static String placeholderLabel(String category) {
        return PLACEHOLDER_LABELS.getOrDefault(category, category.toUpperCase(Locale.ROOT));
    }
}
