package dev.faultline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the CLI prints from logs and files (scan diagnostics, summaries) cannot drive the terminal. */
class SanitizeTest {
    @Test
    void escapesCrLfSoNoOutputLineCanBeForged() {
        assertThat(Sanitize.forTerminal("bad line\r\nlevel=info all good")).isEqualTo("bad line\\r\\nlevel=info all good");
        assertThat(Sanitize.forTerminal("a\u2028b\u2029c")).isEqualTo("a\\u2028b\\u2029c");
    }

    @Test
    void escapesAnsiOscC1AndOtherC0Controls() {
        assertThat(Sanitize.forTerminal("\u001b[2J\u001b]0;title\u0007\u009b31m\u0000\u007f"))
                .isEqualTo("\\u001b[2J\\u001b]0;title\\u0007\\u009b31m\\u0000\\u007f");
    }

    @Test
    void escapesBidiControlsAndInvisibleMarks() {
        assertThat(Sanitize.forTerminal("user\u202egnp.exe \u2066x\u2069 \u200e\u200f\u061c\ufeff"))
                .isEqualTo("user\\u202egnp.exe \\u2066x\\u2069 \\u200e\\u200f\\u061c\\ufeff");
    }

    @Test
    void leavesOrdinaryTextAloneAndNullBecomesEmpty() {
        String s = "E2001 ssh failed – ошибка 錯誤 \uD83D\uDD25\ttab";
        assertThat(Sanitize.forTerminal("plain")).isSameAs("plain");
        assertThat(Sanitize.forTerminal(s)).isEqualTo(s.replace("\t", "\\t"));
        assertThat(Sanitize.forTerminal(null)).isEmpty();
    }
}
