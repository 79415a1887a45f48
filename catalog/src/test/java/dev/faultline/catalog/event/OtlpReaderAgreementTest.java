package dev.faultline.catalog.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The tape-based {@link OtlpReader} against the Jackson tree reader it replaced ({@link JacksonOtlpReader}): for
 * every batch both must return the same events, or refuse it for the same reason, and with the same words when the
 * batch is valid JSON of the wrong shape. Random batches exercise what is read (every AnyValue type, nested lists,
 * repeated names, escaped names, numbers as Jackson prints them, legacy scope lists); wrong shapes and byte
 * mutations exercise what is refused.
 */
class OtlpReaderAgreementTest {

    private static final Readers DEFAULT = new Readers(ParseConfig.defaults());
    /** Small limits, so random batches reach the depth, length, field-count and batch-size limits too. */
    private static final Readers TIGHT = new Readers(ParserFixtures.withLimits(4096, 7, 24, 6, 3));

    private static final List<String> ATTRIBUTE_KEYS = List.of("error.type", "error.code", "code", "exception.type",
            "exception.message", "rpc.jsonrpc.error_code", "message", "retry_after_ms", "retry_after_seconds",
            "http.status_code", "a..b", "", "err", "data", "error", "service.name", "ключ");
    private static final List<String> NUMBERS = List.of("0", "-0", "7", "-32601", "1.5", "1.50", "1e3", "1E-2",
            "-0.0", "12345678901234567890", "2.5e400", "0.1", "100", "3.0");

    @Property(tries = 3000)
    void shouldReadEveryGeneratedBatchAsJacksonsTreeDoes(@ForAll long seed) {
        byte[] record = batch(new Random(seed), false);

        DEFAULT.assertAgree(record);
        TIGHT.assertAgree(record);
    }

    @Property(tries = 3000)
    void shouldRefuseBatchesOfTheWrongShapeWithJacksonsWords(@ForAll long seed) {
        byte[] record = batch(new Random(seed), true);

        DEFAULT.assertAgree(record);
        TIGHT.assertAgree(record);
    }

    @Property(tries = 3000)
    void shouldRefuseMutatedBatchesForJacksonsReason(@ForAll long seed) {
        Random random = new Random(seed);
        byte[] record = ParserFixtures.mutate(batch(random, random.nextBoolean()), random);

        DEFAULT.assertAgree(record);
        TIGHT.assertAgree(record);
    }

    /** An OTLP/JSON batch; with {@code wrongShapes}, now and then a part of the wrong JSON type. */
    private static byte[] batch(Random random, boolean wrongShapes) {
        Gen g = new Gen(random, wrongShapes);
        StringBuilder sb = new StringBuilder("{");
        if (random.nextInt(8) == 0) {
            sb.append("\"other\":1,");
        }
        sb.append(g.name("resourceLogs")).append(':');
        if (g.wrong()) {
            sb.append(g.wrongValue());
        } else {
            sb.append('[');
            int n = random.nextInt(3);
            for (int r = 0; r < n; r++) {
                sb.append(r > 0 ? "," : "");
                g.resourceLogs(sb);
            }
            sb.append(']');
        }
        if (random.nextInt(10) == 0) {
            sb.append(",\"resourceLogs\":[]"); // a repeated name: the last one counts
        }
        return sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static final class Gen {
        final Random random;
        final boolean wrongShapes;

        Gen(Random random, boolean wrongShapes) {
            this.random = random;
            this.wrongShapes = wrongShapes;
        }

        boolean wrong() {
            return wrongShapes && random.nextInt(12) == 0;
        }

        String wrongValue() {
            return List.of("1", "\"x\"", "{}", "[]", "[1]", "null", "true").get(random.nextInt(7));
        }

        /** The name as JSON, now and then with an escaped letter (Jackson reads both the same). */
        String name(String name) {
            if (!name.isEmpty() && random.nextInt(15) == 0) {
                int k = random.nextInt(name.length());
                return "\"" + name.substring(0, k) + String.format("\\u%04x", (int) name.charAt(k))
                        + escape(name.substring(k + 1)) + "\"";
            }
            return "\"" + escape(name) + "\"";
        }

        void resourceLogs(StringBuilder sb) {
            if (wrong()) {
                sb.append(wrongValue());
                return;
            }
            sb.append('{');
            boolean first = true;
            if (random.nextInt(4) != 0) {
                sb.append(name("resource")).append(':');
                if (wrong()) {
                    sb.append(wrongValue());
                } else {
                    sb.append('{').append(name("attributes")).append(':');
                    if (wrong()) {
                        sb.append(wrongValue());
                    } else {
                        sb.append('[');
                        int n = random.nextInt(4);
                        for (int i = 0; i < n; i++) {
                            sb.append(i > 0 ? "," : "");
                            String key = List.of("service.name", "host.name", "deployment", "service.name")
                                    .get(random.nextInt(4));
                            if (random.nextInt(10) == 0) {
                                sb.append(List.of("{\"key\":5,\"value\":{}}", "7", "{\"value\":{}}",
                                        "{\"key\":\"service.name\",\"value\":\"plain\"}").get(random.nextInt(4)));
                            } else {
                                sb.append('{').append(name("key")).append(':').append(string(key)).append(',')
                                        .append(name("value")).append(":{\"stringValue\":")
                                        .append(string(random.nextInt(6) == 0 ? "" : "svc-" + random.nextInt(3)))
                                        .append("}}");
                            }
                        }
                        sb.append(']');
                    }
                    sb.append('}');
                }
                first = false;
            }
            if (random.nextInt(6) != 0) {
                sb.append(first ? "" : ",");
                sb.append(name(random.nextInt(5) == 0 ? "instrumentationLibraryLogs" : "scopeLogs")).append(':');
                list(sb, 10, 3, this::scope);
            }
            sb.append('}');
        }

        /** JSON null (one time in {@code nullOneIn}), a wrong value, or an array of up to {@code max - 1} elements. */
        void list(StringBuilder sb, int nullOneIn, int max, Consumer<StringBuilder> element) {
            if (random.nextInt(nullOneIn) == 0) {
                sb.append("null");
            } else if (wrong()) {
                sb.append(wrongValue());
            } else {
                sb.append('[');
                int n = random.nextInt(max);
                for (int i = 0; i < n; i++) {
                    sb.append(i > 0 ? "," : "");
                    element.accept(sb);
                }
                sb.append(']');
            }
        }

        void scope(StringBuilder sb) {
            if (wrong()) {
                sb.append(wrongValue());
                return;
            }
            sb.append("{\"scope\":{\"name\":\"lib\"}");
            if (random.nextInt(6) != 0) {
                sb.append(',').append(name("logRecords")).append(':');
                list(sb, 12, 4, this::logRecord);
            }
            sb.append('}');
        }

        void logRecord(StringBuilder sb) {
            if (wrong()) {
                sb.append(wrongValue());
                return;
            }
            sb.append('{');
            String sep = "";
            for (String time : List.of("timeUnixNano", "observedTimeUnixNano")) {
                if (random.nextInt(3) != 0) {
                    sb.append(sep).append(name(time)).append(':').append(List.of("\"1700000000123456789\"",
                            "1700000000123456789", "\"0\"", "0", "-0", "\"\"", "\"-5\"", "\"abc\"", "1.5e18", "null",
                            "\"99999999999999999999\"", "\"9223372036854775807\"", "\"9223372036854775808\"",
                            "\"0001700000000123456789\"").get(random.nextInt(14)));
                    sep = ",";
                }
            }
            if (random.nextInt(2) == 0) {
                sb.append(sep).append(name("severityText")).append(':')
                        .append(List.of("\"ERROR\"", "\"\"", "5", "null").get(random.nextInt(4)));
                sep = ",";
            }
            if (random.nextInt(2) == 0) {
                sb.append(sep).append(name("severityNumber")).append(':')
                        .append(List.of("17", "\"17\"", "9.0", "\"\"", "true", "null", "-0").get(random.nextInt(7)));
                sep = ",";
            }
            if (random.nextInt(3) != 0) {
                sb.append(sep).append(name("body")).append(':');
                if (wrong()) {
                    sb.append(wrongValue());
                } else if (random.nextInt(10) == 0) {
                    sb.append("null");
                } else {
                    anyValue(sb, 0);
                }
                sep = ",";
            }
            if (random.nextInt(4) != 0) {
                sb.append(sep).append(name("attributes")).append(':');
                if (wrong()) {
                    sb.append(wrongValue());
                } else {
                    keyValues(sb, 0);
                }
                sep = ",";
            }
            if (random.nextInt(8) == 0) {
                sb.append(sep).append("\"traceId\":\"5b8efff798038103d269b633813fc60c\"");
            }
            sb.append('}');
        }

        void keyValues(StringBuilder sb, int depth) {
            sb.append('[');
            int n = random.nextInt(4);
            for (int i = 0; i < n; i++) {
                sb.append(i > 0 ? "," : "");
                if (wrong()) {
                    sb.append(List.of("{\"value\":{}}", "{\"key\":1,\"value\":{}}", "{\"key\":\"k\",\"value\":3}",
                            "5").get(random.nextInt(4)));
                    continue;
                }
                sb.append('{').append(name("key")).append(':')
                        .append(string(ATTRIBUTE_KEYS.get(random.nextInt(ATTRIBUTE_KEYS.size())))).append(',')
                        .append(name("value")).append(':');
                if (random.nextInt(10) == 0) {
                    sb.append("null");
                } else {
                    anyValue(sb, depth + 1);
                }
                sb.append('}');
            }
            sb.append(']');
        }

        /** An AnyValue object: usually one member, now and then several or a repeated one. */
        void anyValue(StringBuilder sb, int depth) {
            sb.append('{');
            int members = random.nextInt(8) == 0 ? 2 + random.nextInt(2) : 1;
            for (int m = 0; m < members; m++) {
                sb.append(m > 0 ? "," : "");
                int kind = random.nextInt(depth > 3 ? 6 : 9);
                switch (kind) {
                    case 0:
                    case 1:
                        sb.append(name("stringValue")).append(':').append(random.nextInt(10) == 0
                                ? NUMBERS.get(random.nextInt(NUMBERS.size())) : string(text()));
                        break;
                    case 2:
                        sb.append(name("intValue")).append(':').append(random.nextBoolean()
                                ? string(NUMBERS.get(random.nextInt(NUMBERS.size())))
                                : NUMBERS.get(random.nextInt(NUMBERS.size())));
                        break;
                    case 3:
                        sb.append(name("doubleValue")).append(':').append(NUMBERS.get(random.nextInt(NUMBERS.size())));
                        break;
                    case 4:
                        sb.append(name("boolValue")).append(':').append(random.nextBoolean() ? "true" : "false");
                        break;
                    case 5:
                        sb.append(List.of("\"bytesValue\":\"AAEC\"", "\"futureValue\":{\"x\":1}",
                                "\"stringValue\":null", "\"stringValue\":{}", "\"intValue\":[1]")
                                .get(random.nextInt(wrongShapes ? 5 : 2)));
                        break;
                    case 6:
                    case 7:
                        sb.append(name("kvlistValue")).append(':');
                        if (wrong()) {
                            sb.append(wrongValue());
                        } else {
                            sb.append("{\"values\":");
                            if (random.nextInt(8) == 0) {
                                sb.append(wrong() ? "{}" : "null");
                            } else {
                                keyValues(sb, depth + 1);
                            }
                            sb.append('}');
                        }
                        break;
                    default:
                        sb.append(name("arrayValue")).append(':');
                        if (wrong()) {
                            sb.append(wrongValue());
                        } else {
                            sb.append("{\"values\":[");
                            int n = random.nextInt(3);
                            for (int i = 0; i < n; i++) {
                                sb.append(i > 0 ? "," : "");
                                if (wrong()) {
                                    sb.append(wrongValue());
                                } else {
                                    anyValue(sb, depth + 1);
                                }
                            }
                            sb.append("]}");
                        }
                        break;
                }
            }
            sb.append('}');
        }

        String text() {
            return List.of("session.open failed: E2001", "rpc error -32601", "ok", "", "TEAM_INVITE_INVALID",
                    "tab\there", "quote \" inside", "ünïcödé E4001", "x".repeat(30)).get(random.nextInt(9));
        }
    }

    private static String string(String text) {
        return "\"" + escape(text) + "\"";
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\t", "\\t");
    }


    /** Both readers over one config. */
    private static final class Readers {
        final OtlpReader tape;
        final JacksonOtlpReader jackson;

        Readers(ParseConfig config) {
            PathRules rules = new PathRules(config);
            tape = new OtlpReader(rules, config);
            jackson = new JacksonOtlpReader(ParserFixtures.jsonFactory(config), rules, config);
        }

        void assertAgree(byte[] record) {
            if (!ParserFixtures.isReaderInput(record)) {
                return;
            }
            ParseResult expected = jackson.read(record, 0, record.length, 0);
            ParseResult actual = tape.read(record, 0, record.length, 0);
            String shown = new String(record, StandardCharsets.UTF_8);
            if (expected instanceof ParseResult.Unreadable e) {
                assertThat(actual).as("%s%nJackson: %s%nTape: %s", shown, e, actual)
                        .isInstanceOf(ParseResult.Unreadable.class);
                ParseResult.Unreadable a = (ParseResult.Unreadable) actual;
                assertThat(a.reason()).as("%s%nJackson: %s%nTape: %s", shown, e, actual).isEqualTo(e.reason());
                if (e.reason() == UnreadableReason.MALFORMED_OTLP || e.reason() == UnreadableReason.TOO_MANY_FIELDS
                        || e.reason() == UnreadableReason.TOO_MANY_RECORDS) {
                    // the batch's own shape, found after the parse: the same words, naming the same place
                    assertThat(a.detail()).as(shown).isEqualTo(e.detail());
                }
            } else {
                assertThat(actual).as("%s%nTape: %s", shown, actual).isEqualTo(expected);
            }
        }
    }
}
