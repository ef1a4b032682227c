package dev.llmplatform.guardrails.pii;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * General-purpose word lists for the PII recognisers, read from the locale files of
 * {@code net.datafaker:datafaker} (Apache-2.0; the files listed in {@code datafaker-locales.txt} plus
 * {@code en/*.yml}): given names, surnames, places (cities, states, provinces, countries), street and city
 * suffixes and prefixes, company suffixes, job words and demonyms, in about 70 locales. Only literal
 * entries are kept (datafaker's templates such as {@code #{first_name}} are skipped). Entries are lower-cased.
 * Loaded once per JVM (about a second), on first use.
 */
final class Gazetteer {
    final Set<String> givenNames = new HashSet<>();
    final Set<String> surnames = new HashSet<>();
    final Set<String> places = new HashSet<>();
    final Set<String> streetSuffixes = new HashSet<>();
    final Set<String> streetPrefixes = new HashSet<>();
    final Set<String> citySuffixes = new HashSet<>();
    final Set<String> cityPrefixes = new HashSet<>();
    final Set<String> companySuffixes = new HashSet<>();
    /** Job head nouns (datafaker's positions and professions) and their modifiers (fields, seniorities). */
    final Set<String> jobHeads = new HashSet<>();
    final Set<String> jobModifiers = new HashSet<>();
    final Set<String> demonyms = new HashSet<>();
    /** English words of datafaker's word and verb lists (nouns, adjectives, verbs in all forms, ...). */
    final Set<String> englishWords = new HashSet<>();

    private static final String[] EN_FILES = {"en/name.yml", "en/address.yml", "en/company.yml", "en/job.yml", "en/demographic.yml",
            "en/words.yml", "en/verbs.yml"};
    private static final Set<String> PLACE_KEYS = Set.of("city", "city_name", "cities", "city_names", "state", "province",
            "provinces", "region", "regions", "county", "country", "default_country", "municipality", "district_names",
            "suburb", "village", "uk_country");

    private static final class Holder {
        static final Gazetteer INSTANCE = load();
    }

    static Gazetteer get() {
        return Holder.INSTANCE;
    }

    private static Gazetteer load() {
        Gazetteer g = new Gazetteer();
        List<String> files = new ArrayList<>(List.of(EN_FILES));
        files.addAll(localeFiles());
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        for (String file : files) {
            try (InputStream in = Gazetteer.class.getResourceAsStream("/" + file)) {
                if (in == null) {
                    throw new IllegalStateException(file + " (net.datafaker:datafaker) is missing from the class path");
                }
                Object root = yaml.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                if (root instanceof Map<?, ?> byLocale) {
                    for (Object locale : byLocale.values()) {
                        if (locale instanceof Map<?, ?> l && l.get("faker") instanceof Map<?, ?> faker) {
                            g.add(faker);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return g;
    }

    private static List<String> localeFiles() {
        List<String> files = new ArrayList<>();
        try (InputStream in = Gazetteer.class.getResourceAsStream("datafaker-locales.txt")) {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    files.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private void add(Map<?, ?> faker) {
        section(faker, "name", (key, value) -> {
            if (key.contains("first_name") || key.contains("middle_name")) {
                givenNames.add(value);
            } else if (key.contains("last_name")) {
                surnames.add(value);
            }
        });
        section(faker, "address", (key, value) -> {
            if (PLACE_KEYS.contains(key)) {
                places.add(value);
            } else if (key.equals("street_suffix") || key.equals("common_street_suffix")) {
                streetSuffixes.add(value);
            } else if (key.endsWith("street_prefix") || key.equals("street_title")) {
                streetPrefixes.add(value);
            } else if (key.equals("city_suffix")) {
                citySuffixes.add(value);
            } else if (key.equals("city_prefix")) {
                cityPrefixes.add(value);
            }
        });
        section(faker, "company", (key, value) -> {
            if (key.equals("suffix") || key.equals("legal_form") || key.equals("company_suffix")) {
                companySuffixes.add(value);
            } else if (key.equals("profession")) {
                jobHeads.add(value);
            }
        });
        section(faker, "job", (key, value) -> {
            if (key.equals("position")) {
                jobHeads.add(value);
            } else if (key.equals("field") || key.equals("seniority")) {
                jobModifiers.add(value);
            }
        });
        section(faker, "words", (key, value) -> englishWords.add(value));
        section(faker, "verbs", (key, value) -> englishWords.add(value));
        section(faker, "demographic", (key, value) -> {
            if (key.equals("demonym")) {
                demonyms.add(value);
            }
        });
    }

    private interface Entry {
        void accept(String key, String value);
    }

    /** Literal string entries (lists or single strings) directly under {@code faker.<name>.<key>}. */
    private static void section(Map<?, ?> faker, String name, Entry sink) {
        if (!(faker.get(name) instanceof Map<?, ?> section)) {
            return;
        }
        for (Map.Entry<?, ?> e : section.entrySet()) {
            String key = String.valueOf(e.getKey());
            literals(e.getValue(), v -> sink.accept(key, v));
        }
    }

    private static void literals(Object node, Consumer<String> out) {
        if (node instanceof String s) {
            String v = s.strip();
            if (v.length() >= 2 && v.chars().noneMatch(c -> c == '#' || c == '{' || c == '?' || Character.isDigit(c))) {
                out.accept(v.toLowerCase(Locale.ROOT));
            }
        } else if (node instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof String) {
                    literals(o, out);
                }
            }
        }
    }
}
