package dev.faultline.catalog.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {

    @ParameterizedTest
    @CsvSource({
        "2026-11-21T10:15:30Z, 2026-11-21T10:15:30Z",
        "2026-11-21T10:15:30.123Z, 2026-11-21T10:15:30.123Z",
        "2026-11-21t10:15:30.123456789z, 2026-11-21T10:15:30.123Z",
        "2026-11-21T12:15:30+02:00, 2026-11-21T10:15:30Z",
        "2026-11-21T05:45:30-0430, 2026-11-21T10:15:30Z",
        "2026-11-21T15:15:30+05, 2026-11-21T10:15:30Z",
        "2026-11-21 10:15:30.5, 2026-11-21T10:15:30.500Z",
        "2026-11-21T10:15, 2026-11-21T10:15:00Z",
        "2024-02-29T00:00:00Z, 2024-02-29T00:00:00Z",
        "1969-12-31T23:59:59Z, 1969-12-31T23:59:59Z",
        "2016-12-31T23:59:60Z, 2017-01-01T00:00:00Z",
    })
    void shouldParseIsoDateTimes(String text, String expected) {
        assertThat(Timestamps.parseValue(text)).isEqualTo(Instant.parse(expected).toEpochMilli());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-31", "2026-11-21T24:00:00Z",
        "2026-11-21T10:60:00Z", "2026-11-21T10:15:30+25:00", "2026-11-21T10:15:30Zjunk", "2026-11-21T10:15:30.Z",
        "21/11/2026", "yesterday", "", "2026-1-2", "-1", "1.2.3", "NaN"})
    void shouldRejectWhatIsNotATimestamp(String text) {
        assertThat(Timestamps.parseValue(text)).isEqualTo(Timestamps.NONE);
    }

    @ParameterizedTest
    @CsvSource({
        "1732184130, 1732184130000",
        "1732184130.123, 1732184130123",
        "1.7321841301e9, 1732184130100",
        "1732184130123, 1732184130123",
        "1732184130123.9, 1732184130123",
        "1732184130123456, 1732184130123",
        "1732184130123456789, 1732184130123",
        "0, 0",
    })
    void shouldGuessEpochUnitsByMagnitude(String text, long expected) {
        assertThat(Timestamps.parseValue(text)).isEqualTo(expected);
    }

    @Test
    void shouldMatchJavaTimeForEveryDayOverFourCenturies() {
        LocalDate d = LocalDate.of(1800, 1, 1);
        while (d.getYear() < 2200) {
            long expected = d.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
            assertThat(Timestamps.parseValue(d.toString())).as(d.toString()).isEqualTo(expected);
            d = d.plusDays(1);
        }
    }

    @Test
    void shouldReportWhereALeadingTimestampEnds() {
        long[] out = new long[1];
        String line = "2026-11-21T10:15:30.123Z ERROR x";

        int end = Timestamps.scanIso(line, 0, line.length(), true, out);

        assertThat(end).isEqualTo(24);
        assertThat(out[0]).isEqualTo(Instant.parse("2026-11-21T10:15:30.123Z").toEpochMilli());
        assertThat(Timestamps.scanIso("2026-11-21 ERROR", 0, 16, true, out)).isEqualTo(-1);
    }
}
