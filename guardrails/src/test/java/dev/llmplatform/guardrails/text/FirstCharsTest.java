package dev.llmplatform.guardrails.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FirstCharsTest {
    @Test
    void setsOfCharactersAndRanges() {
        FirstChars digitsOrPlus = FirstChars.ascii("0-9+-");
        assertThat(digitsOrPlus.mayBegin('0')).isTrue();
        assertThat(digitsOrPlus.mayBegin('9')).isTrue();
        assertThat(digitsOrPlus.mayBegin('+')).isTrue();
        assertThat(digitsOrPlus.mayBegin('-')).isTrue();
        assertThat(digitsOrPlus.mayBegin('a')).isFalse();
        assertThat(digitsOrPlus.mayBegin('~')).isFalse();
        assertThat(digitsOrPlus.mayBegin('É')).isFalse();
        assertThat(digitsOrPlus.orNonAscii().mayBegin('É')).isTrue();
        assertThat(FirstChars.ascii("a-z").mayBegin('z')).isTrue();
        assertThat(FirstChars.ascii("a-z").mayBegin('A')).isFalse();
        assertThatThrownBy(() -> FirstChars.ascii("z-a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FirstChars.ascii("é")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lookBehindsAndWordBoundariesSeeTheTextBeforeEachAttempt() {
        // Tried at "cat" inside "concat", \b must see the 'n' before it; the look-behind must see the '.' before "b@".
        List<String> texts = List.of("concat cat category", "a.b@x.com and b@x.com", "cat", "");
        assertThat(FirstChars.ascii("c").scan(Pattern.compile("\\bcat\\b"), "concat cat category").find()).isTrue();
        assertThat(FirstCharsChecks.assertScanFindsWhatFindFinds("word", Pattern.compile("\\bcat\\b"), FirstChars.ascii("c"), texts))
                .isEqualTo(2);
        assertThat(FirstCharsChecks.assertScanFindsWhatFindFinds("mail", Pattern.compile("(?<![\\w.])[\\w.]+@x\\.com"),
                FirstChars.ascii("A-Za-z0-9_.").notAfter("A-Za-z0-9_."), texts)).isEqualTo(2);
    }

    @Test
    void findsEveryMatchInOrderWithItsGroups() {
        Pattern year = Pattern.compile("(?<v>\\b(?:19|20)\\d{2})\\b");
        FirstChars.Scan scan = FirstChars.ascii("12").scan(year, "from 1999 to 2024, not 21000 nor 3019");
        assertThat(scan.find()).isTrue();
        assertThat(scan.match().group("v")).isEqualTo("1999");
        assertThat(scan.find()).isTrue();
        assertThat(scan.match().start("v")).isEqualTo(13);
        assertThat(scan.find()).isFalse();
        assertThat(scan.find()).isFalse();
    }

    @Test
    void aSetThatLeavesOutAFirstCharacterIsCaught() {
        // The check the detectors' tests rely on must fail for a wrong set: here digits only, but "+49 ..." begins with '+'.
        Pattern phone = Pattern.compile("\\+?\\d[\\d ]{6,}\\d");
        assertThatThrownBy(() -> FirstCharsChecks.assertScanFindsWhatFindFinds("phone", phone,
                FirstChars.ascii("0-9").notAfter("0-9+ "), List.of("call +49 30 1234 5678"))).isInstanceOf(AssertionError.class);
        assertThat(FirstCharsChecks.assertScanFindsWhatFindFinds("phone", phone, FirstChars.ascii("0-9+"),
                List.of("call +49 30 1234 5678"))).isEqualTo(1);
    }

    @Test
    void atAWordStartSkipsOnlyPositionsAfterAWordCharacter() {
        // "cat" after a letter, a digit or '_' is no match of \bcat; after '-' or at the start it is
        // (after 'é' as \b reads it: the scan still tries there and must agree with find()).
        List<String> texts = List.of("concat 1cat _cat -cat écat cat", "catcat cat-cat", "");
        assertThat(FirstCharsChecks.assertScanFindsWhatFindFinds("word start", Pattern.compile("\\bcat"),
                FirstChars.ascii("c").atWordStart(), texts)).isGreaterThanOrEqualTo(6);
        // a set with a character that is not an ASCII word character cannot state it
        assertThatThrownBy(() -> FirstChars.ascii("c+").atWordStart()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FirstChars.ascii("A-Z").orNonAscii().atWordStart()).isInstanceOf(IllegalArgumentException.class);
    }
}
