package dev.llmplatform.guardrails.text;

/** Cyrillic and Greek letters that render like Latin ones (the common confusables). */
final class Homoglyphs {
    private Homoglyphs() {
    }

    private static final String FROM =
            "аеорсухіјѕԁһӏԛԝАВЕКМНОРСТХУІЈЅ" // Cyrillic
            + "αορνικτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ"; // Greek
    private static final String TO =
            "aeopcyxijsdhlqwABEKMHOPCTXYIJS"
            + "aopviktuxABEZHIKMNOPTYX";

    /** The Latin letter {@code c} imitates, or 0. */
    static char latinFor(char c) {
        int i = FROM.indexOf(c);
        return i < 0 ? 0 : TO.charAt(i);
    }
}
