package dev.faultline.catalog.match;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.catalog.testing.TestEvents;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scanner reads 64-char blocks as bitmasks; tokens, joiners and signs that straddle a block edge must come out
 * exactly as a plain char-by-char walk of the documented rules finds them.
 */
class FallbackScannerBlockEdgesTest {
    private static final TokenTable TABLE = CatalogIndex.of(TestEvents.bundled()).table();
    private static final FallbackScanner SCANNER = new FallbackScanner(TABLE);

    private static List<String> scanned(String text) {
        List<String> out = new ArrayList<>();
        SCANNER.scan(text, (info, start, end) -> out.add(info.token() + "@" + start + "-" + end));
        return out;
    }

    /** The token rules of FallbackScanner's javadoc, one char at a time. */
    private static List<String> walked(String text) {
        List<String> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            int start = i;
            if (FallbackScanner.isWord(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && text.charAt(i + 1) >= '0' && text.charAt(i + 1) <= '9') {
                i += 2;
            } else {
                i++;
                continue;
            }
            while (true) {
                while (i < n && FallbackScanner.isWord(text.charAt(i))) {
                    i++;
                }
                if (i + 1 < n && (text.charAt(i) == '.' || text.charAt(i) == '-')
                        && FallbackScanner.isWord(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                break;
            }
            TokenInfo info = TABLE.get(text, start, i);
            if (info != null && (!info.contextOnly() || FallbackScanner.hasCodeContext(text, start, i))
                    && !FallbackScanner.nextToSupplementaryLetter(text, start, i)) {
                out.add(info.token() + "@" + start + "-" + i);
            }
        }
        return out;
    }

    @Provide
    Arbitrary<String> textsAcrossBlocks() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of("E2001", "SSH_AUTH_FAILED", "-32013", "32013", "CONFLICT", "Exists", "not_found",
                        "task.not_found_handler", "ORD-E2001-77", "fs.write", "auth.invalid_token"),
                Arbitraries.of(" ", "  ", "-", ".", "--", "..", "(", ")", "[", "]", "=", ":", "code=", "error ",
                        "é", "Ä", "中", "\u0661", "\uD835\uDC00", "\uD83D\uDE00", "_", "x", "7", "0x", "\t"),
                Arbitraries.strings().withChars("aZ09_-. é").ofMaxLength(9));
        return piece.list().ofMaxSize(80).map(parts -> String.join("", parts));
    }

    @Property(tries = 3000)
    void findsTheSameTokensAsACharByCharWalk(@ForAll("textsAcrossBlocks") String text) {
        assertThat(scanned(text)).isEqualTo(walked(text));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 55, 59, 60, 61, 62, 63, 64, 65, 120, 123, 127, 128, 129})
    void findsCodesSignsAndJoinersAtEveryOffsetAroundABlockEdge(int offset) {
        String pad = " ".repeat(offset);
        for (String text : List.of(pad + "E2001", pad + "E2001 ", pad + "(E2001)", pad + "code=-32013",
                pad + "ORD-E2001-77 x", pad + "x-E2001", pad + "E2001.log", pad + "E2001. done", pad + "ÄE2001",
                pad + "task.not_found_handler", "a".repeat(offset) + "-32013 code=-32013",
                "a".repeat(offset) + ".E2001 and E2001", pad + "-" + "9".repeat(70) + " E2001")) {
            assertThat(scanned(text)).as(text).isEqualTo(walked(text));
        }
        assertThat(scanned(pad + "E2001")).containsExactly("E2001@" + offset + "-" + (offset + 5));
        assertThat(scanned(pad + "ORD-E2001-77")).isEmpty();
        assertThat(scanned(pad + "code=-32013")).containsExactly("-32013@" + (offset + 5) + "-" + (offset + 11));
    }
}
