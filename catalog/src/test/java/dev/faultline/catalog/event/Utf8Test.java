package dev.faultline.catalog.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Utf8Test {

    @Test
    void shouldAcceptAsciiOfEveryLengthAroundTheWordSize() {
        for (int n = 0; n < 40; n++) {
            byte[] b = "a".repeat(n).getBytes(StandardCharsets.US_ASCII);
            assertThat(Utf8.firstInvalid(b, 0, b.length)).isEqualTo(-1);
        }
    }

    @Test
    void shouldAcceptBoundaryCodePoints() {
        String s = "\u0000\u007F\u0080\u07FF\u0800\uD7FF\uE000\uFFFF\uD800\uDC00\uDBFF\uDFFF";
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8.firstInvalid(b, 0, b.length)).isEqualTo(-1);
    }

    @ParameterizedTest
    @CsvSource({
        "C0AF, 0",
        "E080AF, 0",
        "F08080AF, 0",
        "EDA080, 0",
        "EDBFBF, 0",
        "F4908080, 0",
        "F8888080, 0",
        "BF, 0",
        "C3, 0",
        "E282, 0",
        "F09F98, 0",
        "C328, 0"
    })
    void shouldReportTheFirstByteOfAnInvalidSequence(String hex, int expected) {
        byte[] bad = HexFormat.of().parseHex(hex);
        assertThat(Utf8.firstInvalid(bad, 0, bad.length)).isEqualTo(expected);
    }

    @Test
    void shouldFindAnInvalidByteAfterALongAsciiRun() {
        byte[] b = ("x".repeat(37) + "y").getBytes(StandardCharsets.US_ASCII);
        b[37] = (byte) 0x80;
        assertThat(Utf8.firstInvalid(b, 0, b.length)).isEqualTo(37);
    }

    @Test
    void shouldValidateOnlyTheSliceAndReportAbsoluteIndexes() {
        byte[] b = {(byte) 0xFF, 'a', 'b', (byte) 0xC3, (byte) 0xA9, (byte) 0xC3, (byte) 0xFF};
        assertThat(Utf8.firstInvalid(b, 1, 4)).isEqualTo(-1);
        // a sequence cut by the end of the slice is invalid even if the array continues it
        assertThat(Utf8.firstInvalid(b, 1, 3)).isEqualTo(3);
        assertThat(Utf8.firstInvalid(b, 1, 6)).isEqualTo(5);
    }
}
