package dev.faultline.catalog.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/** Shared helpers for the parser tests. */
final class ParserFixtures {

    static final EventParser PARSER = new EventParser(ParseConfig.defaults());

    private ParserFixtures() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<LogEvent> events(EventParser parser, String record) {
        ParseResult result = parser.parse(utf8(record));
        assertThat(result).isInstanceOf(ParseResult.Events.class);
        return ((ParseResult.Events) result).events();
    }

    static LogEvent single(EventParser parser, String record) {
        List<LogEvent> events = events(parser, record);
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    static LogEvent single(String record) {
        return single(PARSER, record);
    }

    static ParseResult.Unreadable unreadable(EventParser parser, byte[] record) {
        ParseResult result = parser.parse(record);
        assertThat(result).isInstanceOf(ParseResult.Unreadable.class);
        return (ParseResult.Unreadable) result;
    }

    static ParseResult.Unreadable unreadable(byte[] record) {
        return unreadable(PARSER, record);
    }

    static ParseResult.Unreadable unreadable(String record) {
        return unreadable(PARSER, utf8(record));
    }

    /** What EventParser hands a JSON reader: valid UTF-8 starting at '{'. A mutated record may be neither. */
    static boolean isReaderInput(byte[] record) {
        return record.length > 0 && record[0] == '{' && Utf8.firstInvalid(record, 0, record.length) < 0;
    }

    static TypedField spec(String path) {
        return ParseConfig.defaults().typedFields().stream()
                .filter(f -> f.path().equals(path))
                .findFirst()
                .orElseThrow();
    }

    static ParseConfig withLimits(int maxRecordBytes, int maxDepth, int maxStringChars, int maxFields,
            int maxBatchRecords) {
        ParseConfig d = ParseConfig.defaults();
        return new ParseConfig(d.typedFields(), d.messageFields(), maxRecordBytes, maxDepth, maxStringChars,
                maxFields, maxBatchRecords);
    }

    /**
     * A Jackson factory with this config's limits, for the Jackson oracles ({@link JacksonEventReader},
     * {@link JacksonOtlpReader}). Jackson enforces depth and string/name length as it reads.
     */
    static JsonFactory jsonFactory(ParseConfig config) {
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxNestingDepth(config.maxDepth())
                .maxStringLength(config.maxStringChars())
                .maxNameLength(config.maxStringChars())
                .build();
        return JsonFactory.builder().streamReadConstraints(constraints).build();
    }

    /**
     * The record cut short, or with one byte inserted, deleted or replaced (ASCII for ASCII, so what was valid
     * UTF-8 stays so); never the first byte, so a JSON record still starts with its brace.
     */
    static byte[] mutate(byte[] record, Random random) {
        byte[] inserts = "{}[]\",:\\ -0e.tn\u0001".getBytes(StandardCharsets.ISO_8859_1);
        int at = record.length == 0 ? 0 : 1 + random.nextInt(Math.max(1, record.length - 1));
        at = Math.min(at, record.length);
        switch (random.nextInt(4)) {
            case 0: // truncate
                return java.util.Arrays.copyOf(record, at);
            case 1: { // insert
                byte[] out = new byte[record.length + 1];
                System.arraycopy(record, 0, out, 0, at);
                out[at] = inserts[random.nextInt(inserts.length)];
                System.arraycopy(record, at, out, at + 1, record.length - at);
                return out;
            }
            case 2: { // delete
                if (at >= record.length) {
                    return record;
                }
                byte[] out = new byte[record.length - 1];
                System.arraycopy(record, 0, out, 0, at);
                System.arraycopy(record, at + 1, out, at, record.length - at - 1);
                return out;
            }
            default: { // replace an ASCII byte, keeping the record valid UTF-8
                if (at >= record.length || record[at] < 0) {
                    return record;
                }
                byte[] out = record.clone();
                out[at] = inserts[random.nextInt(inserts.length)];
                return out;
            }
        }
    }
}
