package dev.llmplatform.guardrails.pii;

import dev.llmplatform.engine.encoder.SentenceEmbedder;
import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.Detector;
import dev.llmplatform.guardrails.EmbeddedText;
import dev.llmplatform.guardrails.Finding;
import dev.llmplatform.guardrails.Findings;
import dev.llmplatform.guardrails.text.FirstChars;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Personal data by pattern, checksum, context words and word lists (the project's own and the general
 * gazetteers of {@link Gazetteer}), then by the statistical {@link PiiTagger}, which sees the rules' findings
 * as features and reaches names, places, organisations and addresses the rules miss. Checksummed types (cards:
 * Luhn, IBAN: mod-97, SSN: structure, IPs: octet ranges) count only when the check passes. Where two findings
 * overlap, the higher score (then the longer span) wins. The tagger fills gaps: its spans ({@value
 * PiiTagger#SCORE}, the lowest score a rule reports) count where no rule at or above that score found anything,
 * or where the rules found only parts of the tagged whole (a street, town and postcode of one postal address;
 * see {@link TaggedSpanMerge}). {@link #withEncoder} adds the tagger's {@link ContextualTagHead} (what the
 * engine's MiniLM makes of each word in its sentence), for policies that run the encoder anyway.
 */
public final class PiiDetector implements Detector {
    private static final String MONTHS = "(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
            + "|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";
    /** The first letters of the month names above: where a match of an expression that begins with a month can begin. */
    private static final String MONTH_INITIALS = "ADFJMNOS";
    private static final FirstChars DIGIT = FirstChars.ascii("0-9");
    /** For {@code \p{Lu}}: an ASCII capital, or any character beyond ASCII. */
    private static final FirstChars CAPITAL = FirstChars.ascii("A-Z").orNonAscii();
    private static final String FULL_MONTHS = "(?:January|February|March|April|June|July|August|September|October|November|December)";
    private static final String STREET_TYPES = "(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct"
            + "|Way|Place|Pl|Terrace|Square|Sq|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Trail|Alley|Crescent|Close|Gardens|Row)";

    private static final String US_STATE_CODES = "(?:A[KLRZS]|C[AOT]|D[CE]|FL|G[AU]|HI|I[ADLN]|K[SY]|LA|M[ADEINOPST]|N[CDEHJMVY]|O[HKR]"
            + "|P[AR]|RI|S[CD]|T[NX]|UT|V[AIT]|W[AIVY])";

    private final List<Recognizer> recognizers;
    /** Null for the rules alone. */
    private final PiiTagger tagger;
    /** Null without the encoder: the contextual head's evidence for the tagger, and where its token states come from. */
    private final ContextualTagHead head;
    private final EncoderTokenStates states;

    /** Rules and the shipped tagger. */
    public PiiDetector() {
        this(PiiTagger.bundled());
    }

    /** The rules alone (the tagger's trainer needs their findings as features). */
    public static PiiDetector rulesOnly() {
        return new PiiDetector(null);
    }

    PiiDetector(PiiTagger tagger) {
        this(tagger, null, null);
    }

    /**
     * Rules, the shipped tagger and the shipped contextual head over {@code encoder}'s token states: the tagger then
     * also hears what the encoder makes of each word in its sentence (see {@link ContextualTagHead}).
     */
    public static PiiDetector withEncoder(SentenceEmbedder encoder) {
        ContextualTagHead head = ContextualTagHead.bundled();
        return new PiiDetector(PiiTagger.bundled(), head, new EncoderTokenStates(encoder, head.layers()));
    }

    PiiDetector(PiiTagger tagger, ContextualTagHead head, EncoderTokenStates states) {
        this.tagger = tagger;
        this.head = head;
        this.states = states;
        TaggerLexicon lists = TaggerLexicon.get();
        Set<String> common = lists.commonWords();
        recognizers = List.of(
                PatternRecognizer.of(Category.EMAIL_ADDRESS, "email",
                        "(?<![\\w.+-])(?=[\\w.+-]*+@)[\\w.+-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*\\.\\p{L}{2,}(?![\\w-])", FirstChars.ascii("A-Za-z0-9_.+-").notAfter("A-Za-z0-9_.+-"), 0.95),
                new PatternRecognizer(Category.CREDIT_CARD, "card-luhn", "(?<![\\d-])[2-6]\\d{3}(?:[ -]?\\d){9,15}(?![\\d-])", FirstChars.ascii("2-6").notAfter("0-9-"),
                        Checksums::luhn, null, 0.95),
                // Schemes with shorter numbers (ISO/IEC 7812 allows 12-19 digits): Maestro (50, 56-69), JCB (1800, 2131).
                new PatternRecognizer(Category.CREDIT_CARD, "card-luhn-short", "(?<![\\d-])(?:50|5[6-9]|6\\d|1800|2131)(?:[ -]?\\d){10,17}(?![\\d-])", FirstChars.ascii("1256").notAfter("0-9-"),
                        Checksums::luhn, null, 0.9),
                new PatternRecognizer(Category.IBAN_CODE, "iban-mod97", "(?i)\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\\b", FirstChars.ascii("A-Za-z").atWordStart(),
                        Checksums::ibanMod97, null, 0.95),
                new PatternRecognizer(Category.US_SSN, "ssn", "(?<![\\d-])\\d{3}([- ])\\d{2}\\1\\d{4}(?![\\d-])", DIGIT.notAfter("0-9-"), Checksums::ssn, null, 0.85),
                new PatternRecognizer(Category.US_SSN, "ssn-context", "(?<!\\d)\\d{9}(?!\\d)", DIGIT.notAfter("0-9"), Checksums::ssn,
                        "\\b(?:ssn|social security)", 0.8),
                new PatternRecognizer(Category.IP_ADDRESS, "ipv4", "(?<![\\d.])\\d{1,3}(?:\\.\\d{1,3}){3}(?![\\d.])", DIGIT.notAfter("0-9."), Checksums::ipv4, null, 0.9),
                new PatternRecognizer(Category.IP_ADDRESS, "ipv6",
                        "(?<![\\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\\w:])", FirstChars.ascii("0-9A-Fa-f:").notAfter("A-Za-z0-9_:"), Checksums::ipv6, null, 0.85),
                PatternRecognizer.of(Category.DOMAIN_NAME, "url", "\\b(?:https?|ftp)://[^\\s<>\"']+[^\\s<>\"'.,;:!?)]", FirstChars.ascii("fh").atWordStart(), 0.9),
                PatternRecognizer.of(Category.DOMAIN_NAME, "www", "(?<![\\w@.])www\\.[\\w-]+(?:\\.[\\w-]+)+(?:/[^\\s<>\"']*)?", FirstChars.ascii("w").notAfter("A-Za-z0-9_@."), 0.85),
                PatternRecognizer.of(Category.DOMAIN_NAME, "domain",
                        "(?<![\\w@./-])(?=[\\w-]*+\\.)[A-Za-z0-9][\\w-]*(?:\\.[\\w-]+)*\\.(?:com|org|net|edu|gov|io|co|de|uk|fr|es|it|nl|be|ch|at|se|no|dk|fi|pl|cz|ru|jp|cn|info|biz)(?![\\w@-])", FirstChars.ascii("A-Za-z0-9").notAfter("A-Za-z0-9_@./-"), 0.6),
                new PatternRecognizer(Category.PHONE_NUMBER, "phone-international",
                        "(?<![\\w+])\\+\\d{1,3}[ .-]?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{1,4}(?:[ .-]?\\d{2,4}){1,4}(?:\\s?(?:x|ext\\.?)\\s?\\d{1,5})?(?!\\d)", FirstChars.ascii("+").notAfter("A-Za-z0-9_+"),
                        PiiDetector::plausiblePhone, null, 0.85),
                new PatternRecognizer(Category.PHONE_NUMBER, "phone-grouped",
                        "(?<![\\w.+/-])(?:\\(\\d{2,4}\\)\\s?|\\d{2,4}[ .-])\\d{2,4}(?:[ .-]\\d{2,4}){0,3}(?:\\s?(?:x|ext\\.?)\\s?\\d{1,5})?(?![\\w/-]|\\.\\d)", FirstChars.ascii("0-9(").notAfter("A-Za-z0-9_.+/-"),
                        PiiDetector::plausiblePhone, null, 0.6),
                new PatternRecognizer(Category.PHONE_NUMBER, "phone-context", "(?<![\\p{L}\\d(-])\\(?\\d[\\d .()-]{5,18}\\d(?![\\d-])", FirstChars.ascii("0-9(").notAfter("A-Za-z0-9(-"),
                        PiiDetector::plausiblePhone, "\\b(?:phone|tel|telephone|mobile|cell|fax|call|ring|text|whatsapp|number)\\b", 0.8),
                PatternRecognizer.of(Category.DATE_TIME, "date-numeric",
                        "\\b(?:\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{4}|\\d{2})|\\d{4}-\\d{2}-\\d{2})(?:[ T]\\d{1,2}:\\d{2}(?::\\d{2})?)?\\b", DIGIT.atWordStart(), 0.85),
                PatternRecognizer.of(Category.DATE_TIME, "date-words",
                        "\\b(?:\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?" + MONTHS + "\\.?,?\\s+\\d{4}|" + MONTHS
                                + "\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}|" + MONTHS + "\\s+\\d{4})\\b", FirstChars.ascii("0-9" + MONTH_INITIALS).atWordStart(), 0.85),
                // A month without a year where the context makes it a date ("in April", "until 14 January"); "May" only with a day.
                // The month first and the context behind it: a scan for capitalised month names is cheap, trying the
                // context words at every position of every prompt is not.
                PatternRecognizer.of(Category.DATE_TIME, "month-context", "(?<v>" + FULL_MONTHS + ")\\b(?<=(?i:\\b(?:in|since|until|till|by"
                        + "|from|during|before|after|early|late|mid|last|next|this|every))\\s{1,3}\\p{Lu}\\p{Ll}{2,8})", FirstChars.ascii(MONTH_INITIALS), 0.8),
                PatternRecognizer.of(Category.DATE_TIME, "day-month",
                        "\\b(?:\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?(?:" + FULL_MONTHS + "|May)|(?:" + FULL_MONTHS + "|May)\\s+\\d{1,2}(?:st|nd|rd|th)?)\\b(?!\\s*\\d)", FirstChars.ascii("0-9" + MONTH_INITIALS).atWordStart(), 0.8),
                PatternRecognizer.of(Category.DATE_TIME, "time", "\\b\\d{1,2}:\\d{2}(?::\\d{2})?\\s?(?:[AaPp]\\.?[Mm]\\.?)?(?!\\d)", DIGIT.atWordStart(), 0.7),
                new PatternRecognizer(Category.DATE_TIME, "year", "(?<v>\\b(?:19|20)\\d{2})\\b(?![-/.]\\d)", FirstChars.ascii("12").atWordStart(), null,
                        "\\b(?:in|since|born|from|until|till|by|year|of|during|before|after|circa|around)\\s+$", 0.75),
                PatternRecognizer.of(Category.DATE_TIME, "weekday",
                        "(?i)\\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow)\\b", FirstChars.ascii("fmstwyFMSTWY").atWordStart(), 0.7),
                PatternRecognizer.of(Category.AGE, "age-years-old",
                        "(?i)\\b(?<v>\\d{1,3})(?:[ -]years?[ -]old|[ -]year-old|\\s?y/?o\\b)", DIGIT.atWordStart(), 0.85),
                PatternRecognizer.of(Category.AGE, "age-aged", "(?i)\\b(?:aged?|age:)\\s*(?<v>\\d{1,3})\\b", FirstChars.ascii("aA").atWordStart(), 0.8),
                PatternRecognizer.of(Category.AGE, "age-context",
                        "(?i)\\b(?:age of|turned|turning|i am|i'm|he is|she is|he's|she's|is now|was|at)\\s+(?<v>\\d{1,3})(?=\\s*(?:years|yrs|y\\.o|,|\\.|$|\\s+and\\b))", FirstChars.ascii("aAhHiIsStTwW").atWordStart(), 0.75),
                new PatternRecognizer(Category.US_DRIVER_LICENSE, "driver-license", "\\b[A-Z0-9][A-Z0-9-]{4,17}[0-9]\\b", FirstChars.ascii("A-Z0-9").atWordStart(),
                        v -> v.chars().filter(Character::isDigit).count() >= 5, "\\b(?:driver'?s?\\s+licen[cs]e|dl|licen[cs]e\\s+(?:no|number|#))\\b(?:\\s+(?:number|no|id|#))?(?:\\s+is)?[\\s:#no.]*$", 0.85),
                new PatternRecognizer(Category.ZIP_CODE, "zip-context", "(?<![\\d-])\\d{4,5}(?:-\\d{3,4})?(?![\\d-])", DIGIT.notAfter("0-9-"), null,
                        "\\b(?:zip|zip code|postal code|postcode|plz)[\\s:,]*$", 0.7),
                // Only after a real USPS state code: any two capitals before five digits ("ID 12345", "PO 40213") is not an address.
                PatternRecognizer.of(Category.ZIP_CODE, "zip-after-state", "\\b" + US_STATE_CODES + ",?\\s+(?<v>\\d{5}(?:-\\d{4})?)(?![\\d-])", FirstChars.ascii("A-Z").atWordStart(), 0.7),
                PatternRecognizer.of(Category.STREET_ADDRESS, "street-number-first",
                        "\\b\\d{1,5}[A-Za-z]?\\s+(?:\\p{Lu}[\\p{L}'.-]*\\s+){1,4}" + STREET_TYPES + "\\b\\.?"
                                + "(?:,?\\s+(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor)\\.?\\s*#?\\w{1,5})?", DIGIT, 0.85),
                PatternRecognizer.of(Category.STREET_ADDRESS, "street-name-first",
                        "\\b\\p{Lu}\\p{L}*(?:stra(?:ß|ss)e|gasse|weg|platz|allee|katu|gatan|vägen|vej|gade|straat|laan|veien|ulica|utca)\\s+\\d{1,4}[a-z]?\\b", CAPITAL, 0.8),
                PatternRecognizer.of(Category.STREET_ADDRESS, "unit",
                        "\\b(?:Apt|Apartment|Suite|Ste|Unit|Flat)\\.?\\s*#?\\d{1,5}[A-Za-z]?\\b", FirstChars.ascii("AFSU").atWordStart(), 0.75),
                PatternRecognizer.of(Category.STREET_ADDRESS, "po-box", "\\b(?:P\\.?O\\.?|Post Office)\\s+Box\\s+\\d{1,6}\\b", FirstChars.ascii("P").atWordStart(), 0.8),
                new StreetRecognizer(lists.streetSuffixes(), lists.streetPrefixes()),
                // A house number and street name after words that introduce an address, whatever the street's suffix.
                new PatternRecognizer(Category.STREET_ADDRESS, "street-context",
                        "(?<v>\\d{1,5}[A-Za-z]?,?\\s+\\p{Lu}[\\p{L}'.-]*(?:\\s+\\p{Lu}[\\p{L}'.-]*){0,3}|\\p{Lu}[\\p{L}'.-]*(?:\\s+\\p{Lu}[\\p{L}'.-]*){0,3}\\s+\\d{1,5}[A-Za-z]?)\\b", FirstChars.ascii("0-9A-Z").orNonAscii(),
                        null, "\\b(?:address(?:\\s+is)?|addressed\\s+to|live[sd]?\\s+(?:at|on)|living\\s+(?:at|on)|located\\s+(?:at|on)|ship(?:ped)?\\s+to|deliver(?:ed)?\\s+to"
                                + "|send\\s+(?:it\\s+)?to|mov(?:ed|ing)\\s+to|resid(?:e|es|ed|ing)\\s+at|office\\s+(?:is\\s+)?at|stay(?:ing)?\\s+at)[\\s:,]*$", 0.8),
                PatternRecognizer.of(Category.ORGANIZATION, "company-suffix",
                        "\\b(?:\\p{Lu}[\\p{L}&'-]*(?:,?\\s+(?:and\\s+|&\\s+)?)){1,4}(?:Inc|LLC|Ltd|Limited|GmbH|AG|Corp|Corporation|Company|Co|PLC|plc|S\\.A|SA|SE|BV|NV|Group|Holdings|Partners)\\b\\.?", CAPITAL, 0.75),
                new DictionaryRecognizer(Category.ORGANIZATION, "organizations", lists.organizations(), 0.75),
                new DictionaryRecognizer(Category.GPE, "countries", lists.countries(), 0.75),
                new DictionaryRecognizer(Category.GPE, "places", minus(minus(lists.places(), common), lists.nameLikeWorldPlaces()), 0.75),
                // Any capitalised place name after words that introduce a place of living, birth or travel.
                new PatternRecognizer(Category.GPE, "place-context", "\\p{Lu}[\\p{L}'.-]*(?:[ -]\\p{Lu}[\\p{L}'.-]*){0,2}", CAPITAL, null,
                        "\\b(?:li(?:ve|ves|ved|ving)\\s+in|born\\s+in|grew\\s+up\\s+in|mov(?:e|es|ed|ing)\\s+to|relocat(?:e|ed|ing)\\s+to"
                                + "|(?:city|town|village|state|province|county|capital)\\s+of|located\\s+in|based\\s+in|travel(?:l)?(?:ed|ing)?\\s+to"
                                + "|fl(?:y|ew|ying)\\s+to|visit(?:s|ed|ing)?|citizen\\s+of|resident\\s+of|native\\s+of)\\s+$", 0.7),
                new LocativePlaceRecognizer(lists.places(), lists.countries(), TaggerLexicon.union(lists.givenNames(), lists.surnames()), common),
                new CityNameRecognizer(lists.cityPrefixes(), lists.citySuffixes(), common),
                new DictionaryRecognizer(Category.NRP, "nationalities", lists.nationalities(), 0.7),
                new PersonRecognizer(lists.givenNames(), lists.surnames(), common, TaggerLexicon.union(lists.nationalities(), lists.countries()),
                        lists.companySuffixes()),
                new OrganizationRecognizer(lists.surnames(), lists.givenNames(), common),
                new OrganizationHeadRecognizer(lists.organizationHeads(), common),
                new JobTitleRecognizer(lists.jobHeads(), lists.jobModifiers(), common));
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> d = new HashSet<>(a);
        d.removeAll(b);
        return d;
    }

    /** 7 to 15 digits (ITU E.164 allows at most 15), and not all one digit. */
    /** An extension at the end of a phone number ("x12", "ext. 345"), which does not count towards its digits. */
    private static final Pattern PHONE_EXTENSION = Pattern.compile("(?i)(x|ext\\.?)\\s?\\d+$");

    static boolean plausiblePhone(String candidate) {
        String number = PHONE_EXTENSION.matcher(candidate).replaceAll("");
        // 7 to 15 ASCII digits (what \d matches), not all the same one
        int digits = 0;
        char first = 0;
        boolean mixed = false;
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c >= '0' && c <= '9') {
                if (digits++ == 0) {
                    first = c;
                } else if (c != first) {
                    mixed = true;
                }
            }
        }
        return digits >= 7 && digits <= 15 && mixed;
    }

    @Override
    public List<Finding> detect(String text) {
        return detect(text, tokens -> TokenVectors.of(states.states(text, tokens), states.dimension()));
    }

    /**
     * As {@link #detect(String)}, with the contextual head (if any) reading the encoder pass over {@code text}'s
     * windows, which the injection classifier of the same check shares at the same depth.
     */
    public List<Finding> detect(EmbeddedText text) {
        return detect(text.text(), tokens -> states.states(text, tokens));
    }

    private List<Finding> detect(String text, Function<List<int[]>, TokenVectors> tokenStates) {
        List<Finding> rules = ruleFindings(text);
        if (tagger == null) {
            return Findings.resolveOverlaps(rules);
        }
        boolean cased = text.chars().anyMatch(Character::isUpperCase);
        List<Finding> tagged;
        if (head == null) {
            tagged = tagger.tag(text, rules);
        } else {
            List<int[]> tokens = TaggerTokens.of(text);
            tagged = tagger.tag(text, tokens, rules, head.bias(tokenStates.apply(tokens)));
        }
        // the postal-context scan only when the tagger proposed a postcode (most prompts have none)
        boolean postal = tagged.stream().anyMatch(f -> f.category().equals(Category.ZIP_CODE))
                && postalContext(text, rules, tagged);
        List<Finding> all = TaggedSpanMerge.merge(text, rules, tagged, (category, span) -> plausible(category, span, cased, postal));
        return Findings.resolveOverlaps(all);
    }

    private static boolean postalContext(String text, List<Finding> rules, List<Finding> tagged) {
        return POSTAL_CONTEXT.matcher(text).find() || java.util.stream.Stream.concat(rules.stream(), tagged.stream())
                .anyMatch(f -> f.category().equals(Category.STREET_ADDRESS) || f.category().equals(Category.GPE));
    }

    /** Words that say a number nearby is a postcode. */
    private static final Pattern POSTAL_CONTEXT = Pattern.compile(
            "(?i)\\b(?:zip|postal|post ?code|postleitzahl|plz|code postal|cep|cap|pin ?code)\\b");

    /**
     * The checks a tagged span must pass that a rule of its type would apply too. A postcode stands in an
     * address (a street, a place or a postal word in the text): alone, "In 1492" or "page 2048" is a number.
     */
    private static boolean plausible(String category, String span, boolean casedText, boolean postalContext) {
        TaggerLexicon lexicon = TaggerLexicon.get();
        if (NAMES.contains(category) && plainWord(span, lexicon)) {
            return false;
        }
        return switch (category) {
            case Category.PHONE_NUMBER -> plausiblePhone(span);
            case Category.ZIP_CODE -> postalContext && span.chars().anyMatch(Character::isDigit);
            case Category.US_DRIVER_LICENSE -> span.chars().anyMatch(Character::isDigit);
            case Category.PERSON -> !PersonRecognizer.formOfAddressOnly(span)
                    && nameLike(span, casedText, lexicon.givenNames(), lexicon.surnames());
            case Category.GPE -> nameLike(span, casedText, lexicon.places(), lexicon.countries());
            case Category.ORGANIZATION -> nameLike(span, casedText, lexicon.organizations(), lexicon.companySuffixes());
            default -> true;
        };
    }

    /**
     * Names are written with a capital. In a text with capitals elsewhere a lower-case "name" is an ordinary
     * word ("easy", "sales"); in text typed all in lower case (or code: "def fib(n):") a name must at least be
     * one the word lists know.
     */
    private static boolean nameLike(String span, boolean casedText, Set<String> list, Set<String> otherList) {
        if (casedText) {
            return span.chars().anyMatch(Character::isUpperCase);
        }
        for (String word : span.split("[^\\p{L}'-]+")) {
            if (list.contains(word) || otherList.contains(word)) {
                return true;
            }
        }
        return false;
    }

    private static final Set<String> NAMES = Set.of(Category.PERSON, Category.GPE, Category.ORGANIZATION, Category.NRP);

    /**
     * One word that is ordinary English and in no name, place or organisation list: a capitalised heading or
     * sentence start the tagger took for a name ("Guest list:", "Freight was handled").
     */
    private static boolean plainWord(String span, TaggerLexicon lexicon) {
        String word = span.strip().toLowerCase(java.util.Locale.ROOT);
        return word.chars().allMatch(Character::isLetter) && lexicon.plainEnglishWords().contains(word)
                && !lexicon.countries().contains(word) && !lexicon.organizations().contains(word) && !lexicon.nationalities().contains(word);
    }

    List<Recognizer> recognizers() {
        return recognizers;
    }

    /** Every rule's findings, overlaps not yet resolved. */
    List<Finding> ruleFindings(String text) {
        List<Finding> all = new ArrayList<>();
        Words words = Words.of(text); // once per text: most recognizers walk the words
        for (Recognizer r : recognizers) {
            r.find(text, words, all);
        }
        return all;
    }
}
