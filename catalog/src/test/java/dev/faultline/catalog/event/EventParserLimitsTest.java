package dev.faultline.catalog.event;

import static dev.faultline.catalog.event.ParserFixtures.PARSER;
import static dev.faultline.catalog.event.ParserFixtures.single;
import static dev.faultline.catalog.event.ParserFixtures.unreadable;
import static dev.faultline.catalog.event.ParserFixtures.utf8;
import static dev.faultline.catalog.event.ParserFixtures.withLimits;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventParserLimitsTest {

    @Test
    void shouldReturnNoEventsForAnEmptyRecord() {
        assertThat(PARSER.parse(new byte[0])).isEqualTo(new ParseResult.Events(java.util.List.of()));
    }

    @Test
    void shouldReturnNoEventsForAWhitespaceOrBomOnlyRecord() {
        assertThat(PARSER.parse(utf8(" \t\r\n  \n"))).isEqualTo(new ParseResult.Events(java.util.List.of()));
        assertThat(PARSER.parse(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '\n'}))
                .isEqualTo(new ParseResult.Events(java.util.List.of()));
    }

    @Test
    void shouldCutLabelFieldsThatBecomeKeysDownstreamInEveryFormat() {
        String big = "s".repeat(200_000);
        String emoji = "x".repeat(LogEvent.MAX_LABEL_CHARS - 2) + "\uD83D\uDE00tail"; // a pair across the cut
        List<String> lines = List.of(
                "ts=" + big + " level=" + big + " service=" + big + " host=" + big + " msg=x",
                "{\"@timestamp\":\"" + big + "\",\"service\":\"" + big
                        + "\",\"host\":\"" + emoji + "\",\"level\":\"" + big + "\"}");
        for (String line : lines) {
            LogEvent e = single(line);
            for (String label : new String[] {e.timestamp(), e.service(), e.host(), e.level()}) {
                assertThat(label).as(line.substring(0, 12)).hasSizeLessThanOrEqualTo(LogEvent.MAX_LABEL_CHARS).endsWith("…");
                assertThat(Character.isHighSurrogate(label.charAt(label.length() - 2))).isFalse();
            }
        }
        assertThat(single("service=billing msg=x").service()).isEqualTo("billing");
    }

    @Test
    void shouldRejectATenMegabyteRecordAsTooLargeBeforeReadingIt() {
        byte[] huge = new byte[10 * 1024 * 1024];
        // invalid UTF-8 and an open JSON object: only a size check that comes first can say TOO_LARGE
        Arrays.fill(huge, (byte) 0xFF);
        huge[0] = '{';

        ParseResult.Unreadable u = unreadable(huge);

        assertThat(u.reason()).isEqualTo(UnreadableReason.TOO_LARGE);
        assertThat(u.detail()).contains(String.valueOf(huge.length));
    }

    @Test
    void shouldAcceptARecordOfExactlyMaxRecordBytes() {
        EventParser parser = new EventParser(withLimits(12, 64, 100, 100, 10));

        assertThat(parser.parse(utf8("{\"code\":\"A\"}"))).isInstanceOf(ParseResult.Events.class);
        assertThat(unreadable(parser, utf8("{\"code\":\"AB\"}")).reason()).isEqualTo(UnreadableReason.TOO_LARGE);
    }

    @Test
    void shouldRejectObjectsNestedTenThousandDeepWithoutStackOverflow() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            sb.append("{\"a\":");
        }
        sb.append('1');
        sb.append("}".repeat(10_000));

        ParseResult.Unreadable u = unreadable(sb.toString());

        assertThat(u.reason()).isEqualTo(UnreadableReason.TOO_DEEP);
        assertThat(u.detail()).contains("64").contains("at byte");
    }

    @Test
    void shouldRejectArraysNestedTenThousandDeepAsTooDeep() {
        String deep = "{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";

        assertThat(unreadable(deep).reason()).isEqualTo(UnreadableReason.TOO_DEEP);
    }

    @Test
    void shouldRejectTenThousandDeepOtlpBodyAsTooDeep() {
        String deep = "{\"resourceLogs\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";

        assertThat(unreadable(deep).reason()).isEqualTo(UnreadableReason.TOO_DEEP);
    }

    @Test
    void shouldAllowNestingUpToMaxDepthExactly() {
        EventParser parser = new EventParser(withLimits(1024, 3, 100, 100, 10));

        assertThat(parser.parse(utf8("{\"a\":{\"b\":[1]}}"))).isInstanceOf(ParseResult.Events.class);
        assertThat(unreadable(parser, utf8("{\"a\":{\"b\":[[1]]}}")).reason()).isEqualTo(UnreadableReason.TOO_DEEP);
    }

    @Test
    void shouldRejectALongStringEvenInAFieldNobodyReads() {
        EventParser parser = new EventParser(withLimits(1024, 64, 100, 100, 10));
        String record = "{\"ignored\":\"" + "x".repeat(101) + "\"}";

        ParseResult.Unreadable u = unreadable(parser, utf8(record));

        assertThat(u.reason()).isEqualTo(UnreadableReason.STRING_TOO_LONG);
        assertThat(u.detail()).contains("100").doesNotContain("xxx");
    }

    @Test
    void shouldRejectALongStringInAMessageField() {
        EventParser parser = new EventParser(withLimits(1024, 64, 100, 100, 10));

        assertThat(unreadable(parser, utf8("{\"msg\":\"" + "y".repeat(150) + "\"}")).reason())
                .isEqualTo(UnreadableReason.STRING_TOO_LONG);
    }

    @Test
    void shouldRejectALongFieldName() {
        EventParser parser = new EventParser(withLimits(1024, 64, 100, 100, 10));

        assertThat(unreadable(parser, utf8("{\"" + "k".repeat(150) + "\":1}")).reason())
                .isEqualTo(UnreadableReason.STRING_TOO_LONG);
    }

    @Test
    void shouldCountStringLengthInCharsNotBytes() {
        EventParser parser = new EventParser(withLimits(1024, 64, 100, 100, 10));
        // 100 chars, 200 bytes: within the limit
        String record = "{\"msg\":\"" + "\u00e9".repeat(100) + "\"}";

        assertThat(parser.parse(utf8(record))).isInstanceOf(ParseResult.Events.class);
    }

    @Test
    void shouldRejectMoreScalarsThanMaxFields() {
        EventParser parser = new EventParser(withLimits(1024, 64, 100, 3, 10));

        assertThat(parser.parse(utf8("{\"a\":1,\"b\":\"x\",\"c\":null}"))).isInstanceOf(ParseResult.Events.class);
        assertThat(unreadable(parser, utf8("{\"a\":1,\"b\":\"x\",\"c\":null,\"d\":true}")).reason())
                .isEqualTo(UnreadableReason.TOO_MANY_FIELDS);
        assertThat(unreadable(parser, utf8("{\"a\":[1,2,3,4]}")).reason())
                .isEqualTo(UnreadableReason.TOO_MANY_FIELDS);
    }

    @Test
    void shouldRejectMoreLogfmtPairsThanMaxFields() {
        EventParser parser = new EventParser(withLimits(1024, 64, 100, 3, 10));

        assertThat(unreadable(parser, utf8("a=1 b=2 c=3 d=4")).reason()).isEqualTo(UnreadableReason.TOO_MANY_FIELDS);
    }

    @Test
    void shouldStartTheNextLogfmtLineCleanAfterOneOverTheFieldLimit() {
        EventParser parser = new EventParser(withLimits(1024, 64, 100, 3, 10));
        unreadable(parser, utf8("level=error err_code=E2001 service=a retry_after_ms=5"));

        LogEvent next = single(parser, "msg=fine host=h1");

        assertThat(next.codeFields()).isEmpty();
        assertThat(next.level()).isNull();
        assertThat(next.service()).isNull();
        assertThat(next.retryAfterMs()).isNull();
        assertThat(next.host()).isEqualTo("h1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"msg\":\"x\"", "{\"msg\":", "{\"msg\"", "{", "{\"a\":[1,2"})
    void shouldRejectTruncatedJsonAsMalformed(String record) {
        ParseResult.Unreadable u = unreadable(record);

        assertThat(u.reason()).isEqualTo(UnreadableReason.MALFORMED_JSON);
        assertThat(u.detail()).contains("truncated");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1} junk", "{\"a\":1}{\"b\":2}", "{\"a\":1}}", "{\"a\":1} [1]"})
    void shouldRejectTrailingGarbageAfterTheObject(String record) {
        assertThat(unreadable(record).reason()).isEqualTo(UnreadableReason.MALFORMED_JSON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{a:1}", "{\"a\":01}", "{\"a\":NaN}", "{\"a\" 1}", "{\"a\":\"tab\there\"}",
        "{\"a\":1,}", "{'a':1}"})
    void shouldRejectInvalidJsonAsMalformed(String record) {
        ParseResult.Unreadable u = unreadable(record);

        assertThat(u.reason()).isEqualTo(UnreadableReason.MALFORMED_JSON);
        assertThat(u.detail()).contains("at byte");
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 1001})
    void shouldBoundNumbersByTheirDigitsAsJacksonDoes(int digits) throws IOException {
        for (String number : List.of("-" + "1".repeat(digits),
                "1".repeat(digits / 2) + "." + "1".repeat(digits - digits / 2),
                "1e-" + "1".repeat(digits - 1), "-1.5E+" + "1".repeat(digits - 2))) {
            String record = "{\"a\":" + number + "}";
            boolean jackson = jacksonTokenizes(record);

            assertThat(jackson).as("Jackson, %d digits", digits).isEqualTo(digits <= JsonLexer.MAX_NUMBER_CHARS);
            assertThat(PARSER.parse(utf8(record))).as("%d digits", digits)
                    .isInstanceOf(jackson ? ParseResult.Events.class : ParseResult.Unreadable.class);
        }
    }

    private static boolean jacksonTokenizes(String record) throws IOException {
        try (JsonParser p = new JsonFactory().createParser(utf8(record))) {
            while (p.nextToken() != null) {
                // tokenizing is where Jackson bounds a number's length
            }
            return true;
        } catch (StreamConstraintsException e) {
            return false;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {" \uFEFF{\"a\":1}", "\uFEFF\uFEFF{\"a\":1}"})
    void shouldReadALineWhoseBomIsNotItsFirstCharAsTextNotJson(String record) {
        // Jackson rejects both as JSON; neither is lost: it is a line of text like any that does not open with '{'.
        LogEvent e = single(record);

        assertThat(e.format()).isEqualTo(LogFormat.TEXT);
        assertThat(e.message()).endsWith("{\"a\":1}");
    }

    @Test
    void shouldNeverQuoteRecordContentInADiagnostic() {
        ParseResult.Unreadable u = unreadable("{\"password\":\"hunter2\" hunter3}");

        assertThat(u.detail()).doesNotContain("hunter").doesNotContain("password");
    }

    @Test
    void shouldNotLetJacksonReadNulPaddedBytesAsUtf16() {
        // '{' NUL '}' NUL is "{}" in UTF-16LE; as UTF-8 it is not JSON
        assertThat(unreadable(new byte[] {'{', 0, '}', 0}).reason()).isEqualTo(UnreadableReason.MALFORMED_JSON);
        assertThat(unreadable(new byte[] {'{', 0, 0, 0, '}', 0, 0, 0}).reason())
                .isEqualTo(UnreadableReason.MALFORMED_JSON);
    }

    @Test
    void shouldRejectInvalidUtf8InAnyFormat() {
        byte[] json = utf8("{\"ignored\":\"ab\",\"msg\":\"x\"}");
        json[13] = (byte) 0xC0; // overlong lead inside a value nobody reads
        ParseResult.Unreadable u = unreadable(json);
        assertThat(u.reason()).isEqualTo(UnreadableReason.INVALID_UTF8);
        assertThat(u.detail()).contains("at byte 13");

        byte[] logfmt = utf8("a=1 b=2 c=x");
        logfmt[10] = (byte) 0x80;
        assertThat(unreadable(logfmt).reason()).isEqualTo(UnreadableReason.INVALID_UTF8);

        byte[] text = utf8("ERROR something");
        text[3] = (byte) 0xFF;
        assertThat(unreadable(text).reason()).isEqualTo(UnreadableReason.INVALID_UTF8);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "C0AF", // overlong '/'
        "C180", // overlong
        "E080AF", // overlong 3-byte
        "F08080AF", // overlong 4-byte
        "EDA080", // lone high surrogate U+D800
        "EDB080", // lone low surrogate U+DC00
        "EDA0BDEDB880", // CESU-8 surrogate pair
        "F4908080", // above U+10FFFF
        "F5808080", // lead byte out of range
        "80", // continuation without lead
        "E282", // truncated sequence
        "FE", "FF"
    })
    void shouldRejectInvalidUtf8Sequences(String hex) {
        byte[] bad = java.util.HexFormat.of().parseHex(hex);
        byte[] record = new byte[bad.length + 8];
        System.arraycopy(utf8("msg=\"x "), 0, record, 0, 7);
        System.arraycopy(bad, 0, record, 7, bad.length);
        record[record.length - 1] = '"';

        ParseResult.Unreadable u = unreadable(record);

        assertThat(u.reason()).isEqualTo(UnreadableReason.INVALID_UTF8);
        assertThat(u.detail()).isEqualTo("invalid UTF-8 at byte 7");
    }

    @Test
    void shouldAcceptValidMultibyteText() {
        assertThat(PARSER.parse(utf8("{\"msg\":\"\u00e9\u2713\uD83D\uDE00\uFFFD\"}")))
                .isInstanceOf(ParseResult.Events.class);
        assertThat(PARSER.parse(utf8("m\u00e9ssage \uD83D\uDE00"))).isInstanceOf(ParseResult.Events.class);
    }

    @Test
    void shouldRejectASliceOutsideTheArrayAsACallerError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PARSER.parse(new byte[4], 2, 3))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    /** {"kkk…":{"error":{"code":[1,1,…]}}}: every element is a kept code under one long path. */
    private static String codesUnderALongKey(int keyChars, int elements) {
        StringBuilder sb = new StringBuilder("{\"").append("k".repeat(keyChars)).append("\":{\"error\":{\"code\":[");
        for (int i = 0; i < elements; i++) {
            sb.append(i == 0 ? "1" : ",1");
        }
        return sb.append("]}}}").toString();
    }

    @Test
    void shouldKeepFieldPathsOfTheOrderOfTheRecordNotOnePathPerValueUnderALongKey() {
        List<FieldValue> codes = single(codesUnderALongKey(16 * 1024, 4000)).codeFields();

        assertThat(codes).hasSize(4000);
        assertThat(codes.stream().map(FieldValue::field).distinct().count()).isEqualTo(1);
        assertThat(codes.get(0).field()).isEqualTo("….error.code");
    }

    @Test
    void shouldKeepOnePathForTheSameKeyInEveryObjectOfAnArrayUnderALongKey() {
        // {"жжж…":{"error":[{"code":1},{"code":1},…]}}: each element enters "code" again, under the same parents.
        String key = "\u0436".repeat(EventCollector.MAX_PATH_CHARS - ".error.code".length());
        StringBuilder sb = new StringBuilder("{\"").append(key).append("\":{\"error\":[");
        for (int i = 0; i < 4000; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"code\":1}");
        }

        List<FieldValue> codes = single(sb.append("]}}").toString()).codeFields();

        assertThat(codes).hasSize(4000);
        java.util.Set<String> distinct = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        codes.forEach(f -> distinct.add(f.field()));
        assertThat(distinct).hasSize(1);
        assertThat(codes.get(0).field()).isEqualTo(key + ".error.code");
    }

    @Test
    void shouldNotShareAPathBetweenDifferentKeysAtTheSameDepth() {
        LogEvent event = single("{\"a\":{\"error\":{\"code\":\"E2001\"}},\"b\":{\"error\":{\"code\":\"E2002\"}},"
                + "\"error\":[{\"code\":\"E2003\"},{\"type\":\"X\"}],\"code\":\"E2004\"}");
        assertThat(event.codeFields()).extracting(FieldValue::field, FieldValue::value).containsExactly(
                org.assertj.core.groups.Tuple.tuple("a.error.code", "E2001"),
                org.assertj.core.groups.Tuple.tuple("b.error.code", "E2002"),
                org.assertj.core.groups.Tuple.tuple("error.code", "E2003"),
                org.assertj.core.groups.Tuple.tuple("error.type", "X"),
                org.assertj.core.groups.Tuple.tuple("code", "E2004"));
    }

    @Test
    void shouldCutEachDistinctPathUnderALongKey() {
        StringBuilder sb = new StringBuilder("{\"").append("k".repeat(100_000)).append("\":{");
        for (int i = 0; i < 1000; i++) {
            sb.append(i == 0 ? "" : ",").append("\"a").append(i).append("\":{\"error\":{\"code\":\"E").append(1000 + i).append("\"}}");
        }
        List<FieldValue> codes = single(sb.append("}}").toString()).codeFields();

        assertThat(codes).hasSize(1000);
        assertThat(codes.stream().mapToInt(f -> f.field().length()).max().orElseThrow())
                .isLessThanOrEqualTo(EventCollector.MAX_PATH_CHARS);
        assertThat(codes.get(7).field()).isEqualTo("….a7.error.code");
        assertThat(single("{\"" + "x".repeat(600) + "\":\"E2001\",\"code\":\"E2001\"}")
                .codeFields()).extracting(FieldValue::field).containsExactly("code");
    }

    @Test
    void shouldKeepAPathUpToTheCapWhole() {
        String key = "k".repeat(EventCollector.MAX_PATH_CHARS - ".error.code".length());
        FieldValue code = single("{\"" + key + "\":{\"error\":{\"code\":\"E2001\"}}}")
                .codeFields().get(0);
        assertThat(code.field()).isEqualTo(key + ".error.code");
        String longer = key + "k";
        assertThat(single("{\"" + longer + "\":{\"error\":{\"code\":\"E2001\"}}}")
                .codeFields().get(0).field()).isEqualTo("….error.code");
    }

    @Test
    void shouldNotKeepLongDottedKeysInTheSplitCacheForTheAppsLife() {
        PathRules rules = new PathRules(ParseConfig.defaults());
        String hostile = "a.".repeat(100_000) + "k";
        String[] parts = rules.split(hostile);
        assertThat(parts).hasSize(100_001);
        assertThat(rules.split(hostile)).isNotSameAs(parts); // not cached
        String ordinary = "rpc.jsonrpc.error_code";
        assertThat(rules.split(ordinary)).isSameAs(rules.split(ordinary));
    }

    @Test
    void shouldReadANestedPlainKeyUnderANonAsciiDottedKeyOfManySegments() {
        // A key that is not plain ASCII is entered as Strings, which the per-thread path spans did not grow for.
        String dotted = "\u00e9.a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a.b.c.d.e.f.g.h.i.j.k";
        EventParser fresh = new EventParser(ParseConfig.defaults());

        LogEvent event = single(fresh, "{\"" + dotted + "\":{\"x\":{\"y\":1}},\"msg\":\"E2001 failed\"}");
        assertThat(event.message()).isEqualTo("E2001 failed");

        ParseResult batch = new EventParser(ParseConfig.defaults()).parse(utf8(
                "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":["
                + "{\"body\":{\"stringValue\":\"E2001 ssh failed\"}},"
                + "{\"attributes\":[{\"key\":\"" + dotted + "\",\"value\":{\"kvlistValue\":{\"values\":["
                + "{\"key\":\"x\",\"value\":{\"intValue\":\"1\"}}]}}}]}]}]}]}"));
        assertThat(batch).isInstanceOf(ParseResult.Events.class);
        assertThat(((ParseResult.Events) batch).events()).hasSize(2);
    }
}
