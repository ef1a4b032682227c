package dev.llmplatform.guardrails.pii;

import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.Finding;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.datafaker.Faker;

/**
 * Training sentences for {@link PiiTagger}, generated: the project's own templates
 * ({@code pii/tagger-templates.txt}: letters, forms, chat messages, addresses, sign-offs, sentences without
 * personal data) whose slots ({@code {NAME}}, {@code {STREET}}, {@code {ORG}}, ...) are filled from datafaker's
 * generators in several locales and from small invented-word generators (names and organisations absent from
 * every list, so the tagger learns the contexts, not only the lists). Deterministic for a seed.
 */
public final class SyntheticPiiCorpus {
    /** A generated sentence and its entity spans. */
    public record Sentence(String text, List<Finding> spans) {
    }

    private static final Pattern SLOT = Pattern.compile("\\{([A-Z_]+)}");
    private static final Locale[] LOCALES = {Locale.US, Locale.US, Locale.US, Locale.UK, Locale.CANADA,
            Locale.forLanguageTag("en-AU"), Locale.forLanguageTag("en-IE"), Locale.GERMANY, Locale.FRANCE,
            Locale.forLanguageTag("es"), Locale.ITALY, Locale.forLanguageTag("nl"), Locale.forLanguageTag("pt-BR"),
            Locale.forLanguageTag("sv"), Locale.forLanguageTag("pl")};
    private static final String[] HONORIFICS = {"Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Mr", "Mrs", "Ms", "Dr", "Miss", "Sir", "Dame"};
    private static final String[] RELIGIOUS_AND_POLITICAL = {"Catholic", "Protestant", "Muslim", "Jewish", "Hindu", "Buddhist",
            "Sikh", "Christian", "Orthodox", "Lutheran", "Baptist", "Methodist", "Mormon", "Evangelical", "Anglican", "Shia",
            "Sunni", "atheist", "agnostic", "Democrat", "Republican", "Labour", "Conservative", "Liberal", "Socialist",
            "Green", "Tory", "Communist", "libertarian", "Quaker", "Presbyterian", "Hispanic", "Latino", "Asian",
            "African American", "Native American", "Pacific Islander"};
    /**
     * Words brand-like organisation names are made of before their head noun ("Summit Analytics", "Blue Harbour
     * Foods"); written for this project.
     */
    private static final String[] BRAND_WORDS = {"Summit", "Harbour", "Harbor", "Blue", "Green", "Silver", "Golden", "Red",
            "North", "South", "Eastern", "Western", "Pacific", "Atlantic", "Alpine", "Cedar", "Oak", "Maple", "Willow", "Birch",
            "Pine", "Falcon", "Eagle", "Hawk", "Fox", "Wolf", "Bear", "Lion", "Phoenix", "Orion", "Apex", "Vertex", "Nova",
            "Stellar", "Lunar", "Solar", "River", "Lake", "Valley", "Ridge", "Stone", "Rock", "Crystal", "Iron", "Steel",
            "Copper", "Granite", "Marble", "Meadow", "Prairie", "Forest", "Sunrise", "Sunset", "Horizon", "Frontier", "Pioneer",
            "Liberty", "Unity", "Heritage", "Legacy", "Beacon", "Anchor", "Compass", "Keystone", "Cornerstone", "Crown",
            "Royal", "Imperial", "Premier", "Prime", "Bright", "Clear", "Swift", "Rapid", "True", "Noble", "Grand", "Highland",
            "Coastal", "Island", "Harvest", "Orchard", "Evergreen", "Lighthouse", "Bluestone", "Silverline", "Northstar"};
    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ran", "tes", "vor", "el", "an", "bri", "dun", "sha",
            "ni", "ko", "ta", "ve", "ri", "mar", "len", "ost", "gal", "phi", "zu", "wen", "dor", "ia", "ul", "ber", "to"};

    /** Organisations named "X of Place": "Bank of Ireland", "University of Leeds". */
    private static final String[] OF_HEADS = {"Bank", "University", "Museum", "Institute", "College", "Church", "Port Authority",
            "Chamber of Commerce", "Academy", "Diocese", "Orchestra"};

    private final List<String> templates;
    /** pii/organizations.txt as written (the lexicon holds it lower-cased). */
    private final List<String> knownOrganizations;
    /** pii/organization-heads.txt: "Analytics", "Foundation", "Credit Union". */
    private final List<String> organizationHeads;
    /** pii/world-places.txt: the real large cities and regions datafaker's generators do not produce. */
    private final List<String> worldPlaces;

    public SyntheticPiiCorpus() {
        this.templates = lines("tagger-templates.txt");
        this.knownOrganizations = lines("organizations.txt");
        this.organizationHeads = lines("organization-heads.txt");
        this.worldPlaces = lines("world-places.txt");
    }

    public int templateCount() {
        return templates.size();
    }

    /** {@code count} sentences from the templates in turn-independent random order; the same seed, the same sentences. */
    public List<Sentence> generate(int count, long seed) {
        Random random = new Random(seed);
        Faker[] fakers = new Faker[LOCALES.length];
        for (int i = 0; i < LOCALES.length; i++) {
            fakers[i] = new Faker(LOCALES[i], new Random(seed * 31 + i));
        }
        List<Sentence> out = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            String template = templates.get(random.nextInt(templates.size()));
            Faker faker = fakers[random.nextInt(fakers.length)];
            out.add(recased(fill(template, faker, fakers[0], random), random));
        }
        return out;
    }

    /**
     * One sentence in 25 all lower case and one in 50 all upper case, as people type in chats and forms; the
     * spans stay where they were (a case change that would move them leaves the sentence as it was).
     */
    private static Sentence recased(Sentence s, Random r) {
        int k = r.nextInt(50);
        String t = k < 2 ? s.text().toLowerCase(Locale.ROOT) : k == 2 ? s.text().toUpperCase(Locale.ROOT) : s.text();
        return t.length() == s.text().length() ? new Sentence(t, s.spans()) : s;
    }

    private Sentence fill(String template, Faker faker, Faker english, Random random) {
        StringBuilder text = new StringBuilder();
        List<Finding> spans = new ArrayList<>();
        Matcher m = SLOT.matcher(template);
        int last = 0;
        while (m.find()) {
            text.append(template, last, m.start());
            slot(m.group(1), faker, english, random, text, spans);
            last = m.end();
        }
        text.append(template, last, template.length());
        return new Sentence(text.toString(), spans);
    }

    private void slot(String name, Faker f, Faker en, Random r, StringBuilder text, List<Finding> spans) {
        switch (name) {
            case "NAME" -> add(text, spans, Category.PERSON, personName(f, r));
            case "FIRST" -> add(text, spans, Category.PERSON, r.nextInt(6) == 0 ? invented(r) : f.name().firstName());
            case "LAST" -> add(text, spans, Category.PERSON, r.nextInt(6) == 0 ? invented(r) : f.name().lastName());
            case "HONORIFIC" -> add(text, spans, Category.TITLE, HONORIFICS[r.nextInt(HONORIFICS.length)]);
            case "JOB" -> add(text, spans, Category.TITLE, r.nextBoolean() ? en.job().title() : en.job().position());
            case "STREET" -> add(text, spans, Category.STREET_ADDRESS, street(f, r));
            case "CITY" -> add(text, spans, Category.GPE, city(f, r));
            case "STATE" -> add(text, spans, Category.GPE, f.address().state());
            case "COUNTRY" -> add(text, spans, Category.GPE, en.address().country());
            case "ZIP" -> add(text, spans, Category.ZIP_CODE, f.address().zipCode());
            case "ADDRESS" -> address(f, r, text, spans);
            case "ORG" -> add(text, spans, Category.ORGANIZATION, organization(f, r));
            case "NRP" -> add(text, spans, Category.NRP, nrp(en, r));
            case "PHONE" -> add(text, spans, Category.PHONE_NUMBER, phone(f, r));
            case "DL" -> add(text, spans, Category.US_DRIVER_LICENSE, driverLicence(r));
            // Fillers: text the tagger must leave alone (the rules find dates and e-mails).
            case "DATE" -> text.append(1 + r.nextInt(28)).append(' ').append(month(r)).append(' ').append(1950 + r.nextInt(75));
            case "EMAIL" -> text.append(en.internet().emailAddress());
            case "NUM" -> text.append(1 + r.nextInt(r.nextBoolean() ? 100 : 100000));
            case "WORD" -> text.append(capitalised(en.lorem().word()));
            case "PRODUCT" -> text.append(en.commerce().productName());
            // Long grouped numbers that are not phones: card-shaped (the card rule's checksum decides those),
            // tracking and reference numbers.
            case "DIGITS" -> text.append(r.nextBoolean()
                    ? digits(r, 4) + " " + digits(r, 4) + " " + digits(r, 4) + " " + digits(r, 4)
                    : digits(r, 10 + r.nextInt(10)));
            default -> throw new IllegalStateException("tagger-templates.txt: unknown slot {" + name + "}");
        }
    }

    private static void add(StringBuilder text, List<Finding> spans, String category, String value) {
        String v = value.strip();
        Finding last = spans.isEmpty() ? null : spans.getLast();
        if (category.equals(Category.PERSON) && last != null && last.category().equals(category) && last.end() == text.length() - 1
                && text.charAt(last.end()) == ' ') {
            // "{FIRST} {LAST}" is one person, not two.
            spans.set(spans.size() - 1, new Finding(category, last.start(), text.length() + v.length(), 1.0, "synthetic"));
        } else {
            spans.add(new Finding(category, text.length(), text.length() + v.length(), 1.0, "synthetic"));
        }
        text.append(v);
    }

    private static String personName(Faker f, Random r) {
        return switch (r.nextInt(10)) {
            case 0 -> capitalised(invented(r)) + " " + f.name().lastName();
            case 1 -> f.name().firstName() + " " + capitalised(invented(r));
            case 2 -> f.name().firstName() + " " + f.name().firstName() + " " + f.name().lastName();
            case 3 -> f.name().firstName().charAt(0) + ". " + f.name().lastName();
            case 4 -> f.name().lastName() + ", " + f.name().firstName();
            default -> f.name().firstName() + " " + f.name().lastName();
        };
    }

    /**
     * A street address of the locale, sometimes with a unit after it ("Apt 4", "Suite 210", "#12") or before
     * it ("Flat 3, 12 High Street", "Unit 5/22 ..."), or a post-office box instead.
     */
    private static String street(Faker f, Random r) {
        String s = f.address().streetAddress();
        return switch (r.nextInt(14)) {
            case 0, 1 -> s + (r.nextBoolean() ? ", Apt " : " Suite ") + (1 + r.nextInt(900));
            case 2 -> s + ", " + UNITS[r.nextInt(UNITS.length)] + " " + (1 + r.nextInt(40)) + (r.nextBoolean() ? "" : String.valueOf((char) ('A' + r.nextInt(6))));
            case 3 -> s + " #" + (1 + r.nextInt(400));
            case 4 -> UNITS[r.nextInt(UNITS.length)] + " " + (1 + r.nextInt(40)) + (r.nextBoolean() ? ", " : " ") + s;
            case 5 -> POST_BOXES[r.nextInt(POST_BOXES.length)] + " " + (1 + r.nextInt(r.nextBoolean() ? 999 : 99999));
            default -> s;
        };
    }

    private static final String[] UNITS = {"Apt", "Apt.", "Apartment", "Unit", "Flat", "Suite", "Ste", "Floor", "Room", "Bldg"};
    private static final String[] POST_BOXES = {"PO Box", "P.O. Box", "P.O. BOX", "Post Office Box", "Postfach", "BP", "Apartado"};

    /**
     * A whole postal address in the order of the locale's country. It is one STREET_ADDRESS entity, city and
     * postcode included (the convention of Presidio's entity scheme and most address annotation): a city or a
     * postcode is GPE or ZIP_CODE only where it stands alone. A country after it is a GPE of its own.
     */
    private static void address(Faker f, Random r, StringBuilder text, List<Finding> spans) {
        String country = f.getContext().getLocale().getCountry();
        String sep = r.nextInt(4) == 0 ? "\n" : ", ";
        String a = street(f, r) + sep + switch (country) {
            case "US", "CA", "AU" -> f.address().city() + ", " + (r.nextBoolean() ? f.address().stateAbbr() : f.address().state())
                    + " " + f.address().zipCode();
            case "GB", "IE" -> f.address().city() + (r.nextBoolean() ? sep : " ") + f.address().zipCode();
            default -> f.address().zipCode() + " " + f.address().city();
        };
        add(text, spans, Category.STREET_ADDRESS, a);
        if (r.nextInt(3) == 0) {
            // A country after the address is a place of its own, as a country is everywhere else.
            text.append(sep);
            add(text, spans, Category.GPE, f.address().country());
        }
    }

    private String organization(Faker f, Random r) {
        return switch (r.nextInt(10)) {
            case 8 -> knownOrganizations.get(r.nextInt(knownOrganizations.size()));
            case 9 -> OF_HEADS[r.nextInt(OF_HEADS.length)] + " of " + (r.nextBoolean() ? f.address().city() : f.address().country());
            case 0 -> switch (r.nextInt(3)) {
                case 0 -> f.name().lastName();
                case 1 -> f.address().city();
                default -> BRAND_WORDS[r.nextInt(BRAND_WORDS.length)] + (r.nextBoolean() ? "" : " " + BRAND_WORDS[r.nextInt(BRAND_WORDS.length)]);
            } + " " + organizationHead(r);
            case 1 -> capitalised(invented(r)) + " " + organizationHead(r);
            case 2 -> capitalised(invented(r));
            // A company name without its legal form, as people write it.
            case 3, 4 -> f.company().name().replaceAll(",?\\s+(?:Inc|LLC|Ltd|Group|and Sons|GmbH|AG|SA|S\\.A\\.|Co|PLC)\\.?$", "");
            default -> f.company().name();
        };
    }

    private String organizationHead(Random r) {
        return organizationHeads.get(r.nextInt(organizationHeads.size()));
    }

    /** The locale's generated cities, a large real one now and then, and invented names in no list. */
    private String city(Faker f, Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> invented(r);
            case 1, 2 -> worldPlaces.get(r.nextInt(worldPlaces.size()));
            default -> f.address().city();
        };
    }

    private static String nrp(Faker en, Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> en.nation().nationality();
            case 1 -> en.demographic().demonym();
            default -> RELIGIOUS_AND_POLITICAL[r.nextInt(RELIGIOUS_AND_POLITICAL.length)];
        };
    }

    /** The locale's own formats, and international ones: +CC with spaces, dots, dashes or a bracketed area code. */
    private static String phone(Faker f, Random r) {
        if (r.nextInt(3) > 0) {
            String local = localFormat(f, r.nextBoolean() ? "cell_phone.formats" : "phone_number.formats");
            if (local == null) {
                local = localFormat(f, "phone_number.formats");
            }
            if (local != null) {
                return local;
            }
        }
        String cc = String.valueOf(1 + r.nextInt(r.nextBoolean() ? 9 : 99));
        String sep = new String[] {" ", "-", ".", ""}[r.nextInt(4)];
        StringBuilder s = new StringBuilder(r.nextInt(4) == 0 ? "00" + cc : "+" + cc);
        s.append(r.nextBoolean() ? " (" + digits(r, 2 + r.nextInt(2)) + ") " : " " + digits(r, 2 + r.nextInt(3)) + sep);
        s.append(digits(r, 3)).append(sep).append(digits(r, 4));
        if (r.nextInt(8) == 0) {
            s.append(" ext. ").append(digits(r, 3));
        }
        return s.toString();
    }

    /**
     * A number in one of the locale's own formats, read from its word lists (datafaker's PhoneNumber provider
     * needs libphonenumber, which the guardrails leave out); null where the locale has none.
     */
    private static String localFormat(Faker f, String key) {
        try {
            return f.numerify(f.resolve(key));
        } catch (RuntimeException noSuchKey) {
            return null;
        }
    }

    /** Shapes of US state licence numbers: letter + digits, digits only, grouped with dashes. */
    private static String driverLicence(Random r) {
        char letter = (char) ('A' + r.nextInt(26));
        return switch (r.nextInt(5)) {
            case 0 -> letter + digits(r, 7);
            case 1 -> digits(r, 9);
            case 2 -> letter + digits(r, 3) + "-" + digits(r, 4) + "-" + digits(r, 4);
            case 3 -> letter + digits(r, 12);
            default -> "" + letter + (char) ('A' + r.nextInt(26)) + digits(r, 6);
        };
    }

    private static String digits(Random r, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append((char) ('0' + r.nextInt(10)));
        }
        return s.toString();
    }

    private static String month(Random r) {
        return new String[] {"January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"}[r.nextInt(12)];
    }

    /** A pronounceable word in no list: 2 or 3 syllables. */
    private static String invented(Random r) {
        StringBuilder s = new StringBuilder();
        for (int i = 0, n = 2 + r.nextInt(2); i < n; i++) {
            s.append(SYLLABLES[r.nextInt(SYLLABLES.length)]);
        }
        return capitalised(s.toString());
    }

    private static String capitalised(String w) {
        return w.isEmpty() ? w : Character.toUpperCase(w.charAt(0)) + w.substring(1);
    }

    /** A resource's lines, without blank lines and {@code #} comments; {@code \n} is a line break. */
    private static List<String> lines(String resource) {
        List<String> lines = new ArrayList<>();
        try (InputStream in = SyntheticPiiCorpus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("pii/" + resource + " is missing from the class path");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    lines.add(line.replace("\\n", "\n"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }
}
