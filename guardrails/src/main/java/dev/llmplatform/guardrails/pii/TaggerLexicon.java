package dev.llmplatform.guardrails.pii;

import java.util.HashSet;
import java.util.Set;

/**
 * The word lists the rules ({@link PiiDetector}) and the tagger ({@link TaggerFeatures}) share, loaded once: the project's own lists ({@code pii/*.txt}) joined with the
 * datafaker gazetteers ({@link Gazetteer}). All entries lower-case.
 */
record TaggerLexicon(Set<String> givenNames, Set<String> surnames, Set<String> places, Set<String> countries,
                     Set<String> streetSuffixes, Set<String> streetPrefixes, Set<String> citySuffixes, Set<String> cityPrefixes,
                     Set<String> companySuffixes, Set<String> jobHeads, Set<String> jobModifiers, Set<String> nationalities,
                     Set<String> commonWords, Set<String> organizations, Set<String> organizationHeads,
                     Set<String> nameLikeWorldPlaces, Set<String> plainEnglishWords) {

    private static final class Holder {
        static final TaggerLexicon INSTANCE = load();
    }

    static TaggerLexicon get() {
        return Holder.INSTANCE;
    }

    private static TaggerLexicon load() {
        Gazetteer g = Gazetteer.get();
        Set<String> givenNames = union(DictionaryRecognizer.load("first-names.txt"), g.givenNames);
        Set<String> world = DictionaryRecognizer.load("world-places.txt");
        // Places only our list adds that are also given names ("Milan", "Sydney", "Paris"): the plain list rule
        // leaves them to context (a preposition, the tagger). Not surnames: the surname lists of all locales hold
        // most cities somewhere ("Madrid", "Verona").
        Set<String> nameLikeWorldPlaces = new HashSet<>();
        for (String place : world) {
            if (givenNames.contains(place) && !g.places.contains(place)) {
                nameLikeWorldPlaces.add(place);
            }
        }
        // English words that no name, place or organisation list holds ("guest", "freight", "key").
        Set<String> plainEnglishWords = new HashSet<>(g.englishWords);
        plainEnglishWords.removeAll(givenNames);
        plainEnglishWords.removeAll(g.surnames);
        plainEnglishWords.removeAll(g.places);
        plainEnglishWords.removeAll(world);
        return new TaggerLexicon(
                givenNames,
                g.surnames,
                // datafaker's cities are its generators' (mostly invented-looking) ones; the real large cities are ours
                union(g.places, world),
                DictionaryRecognizer.load("countries.txt"),
                g.streetSuffixes,
                g.streetPrefixes,
                g.citySuffixes,
                g.cityPrefixes,
                g.companySuffixes,
                union(DictionaryRecognizer.load("occupations.txt"), g.jobHeads),
                g.jobModifiers,
                union(DictionaryRecognizer.load("nationalities.txt"), g.demonyms),
                DictionaryRecognizer.load("common-words.txt"),
                DictionaryRecognizer.load("organizations.txt"),
                DictionaryRecognizer.load("organization-heads.txt"),
                nameLikeWorldPlaces,
                plainEnglishWords);
    }

    static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new HashSet<>(a);
        u.addAll(b);
        return u;
    }
}
