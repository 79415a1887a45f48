package dev.faultline.catalog.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Hostile input must cost one record, never the stream: parse returns, whatever the bytes. */
class EventParserPropertiesTest {

    private static final EventParser PARSER = new EventParser(ParseConfig.defaults());
    /** Small limits, so random input actually reaches every limit branch. */
    private static final EventParser TIGHT = new EventParser(ParserFixtures.withLimits(256, 4, 16, 8, 2));

    @Property(tries = 2000)
    void shouldNeverThrowOnArbitraryBytes(@ForAll @Size(max = 300) byte[] record) {
        assertReadableOrUnreadable(PARSER.parse(record));
        assertReadableOrUnreadable(TIGHT.parse(record));
    }

    @Property(tries = 1000)
    void shouldNeverThrowOnArbitrarySlices(@ForAll @Size(max = 200) byte[] buffer,
            @ForAll @IntRange(max = 200) int from, @ForAll @IntRange(max = 200) int length) {
        int offset = Math.min(from, buffer.length);
        int len = Math.min(length, buffer.length - offset);
        assertReadableOrUnreadable(PARSER.parse(buffer, offset, len));
    }

    @Property(tries = 3000)
    void shouldNeverThrowOnJsonLogfmtAndSyslogLookingNoise(@ForAll("structuredNoise") String record) {
        byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
        assertReadableOrUnreadable(PARSER.parse(bytes));
        assertReadableOrUnreadable(TIGHT.parse(bytes));
    }

    @Property(tries = 1000)
    void shouldAgreeWithTheJdkOnUtf8Validity(@ForAll @Size(max = 64) byte[] bytes) {
        boolean jdkValid;
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            jdkValid = true;
        } catch (java.nio.charset.CharacterCodingException e) {
            jdkValid = false;
        }
        assertThat(Utf8.firstInvalid(bytes, 0, bytes.length) < 0).isEqualTo(jdkValid);
    }

    @Property(tries = 3000)
    void shouldReportTheFirstInvalidUtf8ByteWhateverElseIsWrong(@ForAll("structuredNoise") String record,
            @ForAll @IntRange(max = 400) int at, @ForAll("badBytes") byte bad) {
        byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) {
            bytes[Math.min(at, bytes.length - 1)] = bad;
        }
        int first = Utf8.firstInvalid(bytes, 0, bytes.length);

        ParseResult result = PARSER.parse(bytes);

        if (first >= 0) {
            assertThat(result).isEqualTo(new ParseResult.Unreadable(UnreadableReason.INVALID_UTF8,
                    "invalid UTF-8 at byte " + first));
        } else if (result instanceof ParseResult.Unreadable u) {
            assertThat(u.reason()).isNotEqualTo(UnreadableReason.INVALID_UTF8);
        }
    }

    /** Bytes that are never valid where they land, or valid only as part of a sequence. */
    @Provide
    Arbitrary<Byte> badBytes() {
        return Arbitraries.of((byte) 0x80, (byte) 0xBF, (byte) 0xC0, (byte) 0xC3, (byte) 0xE2, (byte) 0xED,
                (byte) 0xF0, (byte) 0xF4, (byte) 0xF5, (byte) 0xFF, (byte) 'a');
    }

    /** Records built from the tokens the readers branch on, so the noise reaches deep into each of them. */
    @Provide
    Arbitrary<String> structuredNoise() {
        Arbitrary<String> token = Arbitraries.of(
                "{", "}", "[", "]", ":", ",", "\"", "\\", "\"error\"", "\"code\"", "-32601", "1e999", "0.5",
                "\"resourceLogs\"", "\"scopeLogs\"", "\"logRecords\"", "\"attributes\"", "\"key\"", "\"value\"",
                "\"intValue\"", "\"stringValue\"", "\"kvlistValue\"", "\"arrayValue\"", "\"values\"", "\"body\"",
                "\"timeUnixNano\"", "\"@timestamp\"", "\"ts\"", "\"2026-11-21T10:15:30Z\"", "\"retry_after_ms\"",
                "\"error.code\"", "null", "true", "\\u0000", "\\ud800", " ", "\n", "\t", "=", "key=", "msg=",
                "<34>", "<34>1 ", "Nov 21 10:15:30 ", "-", "[", "]", "ERROR", "level=", "\u00e9", "\uD83D\uDE00",
                "\uFEFF", "2026-13-45T99:99:99+99:99", "2026-02-29T00:00:00Z", "99999999999999999999999");
        return token.list().ofMaxSize(60).map(parts -> String.join("", parts));
    }

    private static void assertReadableOrUnreadable(ParseResult result) {
        assertThat(result).isNotNull();
        if (result instanceof ParseResult.Unreadable u) {
            assertThat(u.reason()).isNotEqualTo(UnreadableReason.PROCESSING_ERROR);
            assertThat(u.detail()).isNotBlank();
        } else {
            assertThat(result).isInstanceOf(ParseResult.Events.class);
        }
    }
}
