package dev.faultline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeTextTest {
    @Test
    void leavesOrdinaryTextAloneIncludingNonLatinScriptsAndEmoji() {
        String s = "timeout talking to vaultd – ошибка 錯誤 \uD83D\uDD25";
        assertThat(SafeText.escape(s)).isSameAs(s);
    }

    @Test
    void escapesLineBreaksSoNoLineCanBeForged() {
        assertThat(SafeText.escape("ok\r\nlevel=error forged")).isEqualTo("ok\\r\\nlevel=error forged");
        assertThat(SafeText.escape("a\u2028b\u2029c")).isEqualTo("a\\u2028b\\u2029c");
    }

    @Test
    void escapesAnsiAndOscSequencesAndC1Controls() {
        assertThat(SafeText.escape("\u001b[31mred\u001b[0m")).isEqualTo("\\u001b[31mred\\u001b[0m");
        assertThat(SafeText.escape("\u001b]8;;http://evil\u0007x")).isEqualTo("\\u001b]8;;http://evil\\u0007x");
        assertThat(SafeText.escape("c1\u009bz")).isEqualTo("c1\\u009bz");
        assertThat(SafeText.escape("del\u007f")).isEqualTo("del\\u007f");
    }

    @Test
    void escapesBidiOverridesThatMakeTextDisplayDifferently() {
        assertThat(SafeText.escape("user\u202Egnp.exe")).isEqualTo("user\\u202egnp.exe");
        assertThat(SafeText.escape("x\u2066y\u2069")).isEqualTo("x\\u2066y\\u2069");
    }

    @Test
    void replacesUnpairedSurrogatesWhichAreNotValidUtf8() {
        assertThat(SafeText.escape("a\uD800b")).isEqualTo("a\uFFFDb");
        assertThat(SafeText.escape("a\uDC00")).isEqualTo("a\uFFFD");
    }

    @Test
    void capsTheLengthWithAnEllipsisNeverSplittingAPairOrAnEscape() {
        assertThat(SafeText.escape("abcdefghij", 5)).isEqualTo("abcd…");
        assertThat(SafeText.escape("abcde", 5)).isEqualTo("abcde");
        assertThat(SafeText.escape("abc\uD83D\uDD25", 4)).isEqualTo("abc…");
        assertThat(SafeText.escape("ab\ncdef", 4)).isEqualTo("ab…");
        for (int max = 1; max < 30; max++) {
            assertThat(SafeText.escape("line\r\n\u001b[0m \uD83D\uDD25 tail and more text", max).length())
                    .isLessThanOrEqualTo(max);
        }
    }

    @Test
    void nullBecomesEmpty() {
        assertThat(SafeText.escape(null)).isEmpty();
    }
}
