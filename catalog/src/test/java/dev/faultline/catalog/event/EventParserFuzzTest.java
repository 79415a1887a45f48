package dev.faultline.catalog.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing of real-looking records: deterministic (a failure reproduces from the seed) and
 * independent of the property-testing engine.
 */
class EventParserFuzzTest {

    private static final List<String> SEEDS = List.of(
            "{\"msg\":\"x\",\"response\":{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,\"message\":\"m\"}}}",
            "{\"@timestamp\":\"2026-11-21T10:15:30.123Z\",\"log.level\":\"error\",\"error\":{\"code\":\"E2001\"}}",
            "{\"data\":{\"error_code\":\"RATE_LIMITED\",\"retry_after_seconds\":30}}",
            "time=2026-11-21T10:15:30Z level=error err_code=E2001 rpc.error_code=-32003 msg=\"a \\\"b\\\"\"",
            "<34>Nov 21 10:15:30 web-1 sshd[123]: E2001 authentication failed",
            "<165>1 2026-11-21T10:15:30.003Z host app - ID47 [id@1 k=\"v\\]\"] \uFEFFmsg",
            "[2026-11-21 10:15:30,250] WARN pool exhausted",
            EventParserOtlpTest.BATCH);

    private static final byte[] INSERTS = "{}[]\",:\\= <>-0".getBytes(StandardCharsets.US_ASCII);

    @Test
    void shouldNeverThrowOnMutatedRecords() {
        Random random = new Random(20261121L);
        EventParser[] parsers = {
            new EventParser(ParseConfig.defaults()),
            new EventParser(ParserFixtures.withLimits(512, 5, 24, 12, 2))
        };
        for (int i = 0; i < 10_000; i++) {
            byte[] record = mutate(SEEDS.get(random.nextInt(SEEDS.size())).getBytes(StandardCharsets.UTF_8), random);
            for (EventParser parser : parsers) {
                ParseResult result = parser.parse(record);
                if (result instanceof ParseResult.Unreadable u) {
                    assertThat(u.reason()).as("iteration %d", i).isNotEqualTo(UnreadableReason.PROCESSING_ERROR);
                }
            }
        }
    }

    @Test
    void shouldNeverThrowOnRandomBytes() {
        Random random = new Random(7L);
        EventParser parser = new EventParser(ParseConfig.defaults());
        for (int i = 0; i < 10_000; i++) {
            byte[] record = new byte[random.nextInt(120)];
            random.nextBytes(record);
            if (i % 2 == 0 && record.length > 0) {
                record[0] = '{'; // reach the JSON reader, not just the UTF-8 check
                for (int k = 1; k < record.length; k++) {
                    record[k] &= 0x7F;
                }
            }
            ParseResult result = parser.parse(record);
            if (result instanceof ParseResult.Unreadable u) {
                assertThat(u.reason()).as("iteration %d", i).isNotEqualTo(UnreadableReason.PROCESSING_ERROR);
            }
        }
    }

    private static byte[] mutate(byte[] in, Random random) {
        byte[] out = in.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && out.length > 0; e++) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(4)) {
                case 0 -> out[at] = (byte) random.nextInt(128);
                case 1 -> out = java.util.Arrays.copyOf(out, at); // truncate
                case 2 -> {
                    byte[] grown = new byte[out.length + 1];
                    System.arraycopy(out, 0, grown, 0, at);
                    grown[at] = INSERTS[random.nextInt(INSERTS.length)];
                    System.arraycopy(out, at, grown, at + 1, out.length - at);
                    out = grown;
                }
                default -> {
                    byte[] shrunk = new byte[out.length - 1];
                    System.arraycopy(out, 0, shrunk, 0, at);
                    System.arraycopy(out, at + 1, shrunk, at, out.length - at - 1);
                    out = shrunk;
                }
            }
        }
        return out;
    }
}
