package dev.faultline.catalog.event;

import static dev.faultline.catalog.event.ParserFixtures.PARSER;
import static dev.faultline.catalog.event.ParserFixtures.events;
import static dev.faultline.catalog.event.ParserFixtures.single;
import static dev.faultline.catalog.event.ParserFixtures.spec;
import static dev.faultline.catalog.event.ParserFixtures.unreadable;
import static dev.faultline.catalog.event.ParserFixtures.utf8;
import static dev.faultline.catalog.event.ParserFixtures.withLimits;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventParserOtlpTest {

    /** Two resources, three records; the second resource uses the pre-1.0 scope key. */
    static final String BATCH = """
            {"resourceLogs":[
              {"resource":{"attributes":[
                  {"key":"service.name","value":{"stringValue":"checkout"}},
                  {"key":"host.name","value":{"stringValue":"web-1"}}]},
               "scopeLogs":[{"scope":{"name":"io.opentelemetry.example"},"logRecords":[
                 {"timeUnixNano":"1763720130123456789","observedTimeUnixNano":"1763720131000000000",
                  "severityNumber":17,"severityText":"ERROR",
                  "body":{"stringValue":"payment failed"},
                  "attributes":[
                    {"key":"exception.type","value":{"stringValue":"java.net.SocketTimeoutException"}},
                    {"key":"exception.message","value":{"stringValue":"Read timed out"}},
                    {"key":"error.type","value":{"stringValue":"timeout"}}]},
                 {"timeUnixNano":"0","observedTimeUnixNano":1763720132000000000,"severityNumber":13,
                  "attributes":[
                    {"key":"rpc.jsonrpc.error_code","value":{"intValue":"-32601"}},
                    {"key":"retry_after_ms","value":{"intValue":250}},
                    {"key":"flag","value":{"boolValue":true}}]}]}]},
              {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"payments"}}]},
               "instrumentationLibraryLogs":[{"logRecords":[
                 {"body":{"kvlistValue":{"values":[
                    {"key":"error","value":{"kvlistValue":{"values":[
                        {"key":"code","value":{"intValue":"-32003"}},
                        {"key":"message","value":{"stringValue":"denied"}}]}}},
                    {"key":"tags","value":{"arrayValue":{"values":[{"stringValue":"a"},{"doubleValue":1.5}]}}}]}},
                  "attributes":[{"key":"code","value":{"stringValue":"E2001"}}]}]}]}
            ]}
            """;

    @Test
    void shouldReadEveryLogRecordOfEveryResourceAsOneEvent() {
        List<LogEvent> events = events(PARSER, BATCH);

        assertThat(events).hasSize(3);
        assertThat(events).extracting(LogEvent::format).containsOnly(LogFormat.OTLP);
        assertThat(events).extracting(LogEvent::service).containsExactly("checkout", "checkout", "payments");
        assertThat(events).extracting(LogEvent::host).containsExactly("web-1", "web-1", null);
    }

    @Test
    void shouldReadTimeSeverityBodyAndAttributesOfARecord() {
        LogEvent e = events(PARSER, BATCH).get(0);

        assertThat(e.timestamp()).isEqualTo("1763720130123456789");
        assertThat(e.epochMillis()).isEqualTo(1763720130123L);
        assertThat(e.level()).isEqualTo("ERROR");
        assertThat(e.message()).isEqualTo("payment failed");
        assertThat(e.codeFields()).containsExactly(
                new FieldValue("attributes.exception.type", "java.net.SocketTimeoutException", false,
                        spec("exception.type")),
                new FieldValue("attributes.error.type", "timeout", false, spec("error.type")));
        assertThat(e.textFields()).containsExactly(
                FieldValue.text("body", "payment failed"),
                FieldValue.text("attributes.exception.message", "Read timed out"));
    }

    @Test
    void shouldFallBackToObservedTimeAndSeverityNumber() {
        LogEvent e = events(PARSER, BATCH).get(1);

        assertThat(e.timestamp()).isEqualTo("1763720132000000000");
        assertThat(e.epochMillis()).isEqualTo(1763720132000L);
        assertThat(e.level()).isEqualTo("13");
        assertThat(e.message()).isNull();
    }

    @Test
    void shouldTreatStringEncodedInt64AsNumericRpcCode() {
        LogEvent e = events(PARSER, BATCH).get(1);

        assertThat(e.codeFields()).containsExactly(
                new FieldValue("attributes.rpc.jsonrpc.error_code", "-32601", true, spec("rpc.jsonrpc.error_code")));
        assertThat(e.retryAfterMs()).isEqualTo(250L);
    }

    @Test
    void shouldFlattenStructuredBodiesAndReadLegacyScopes() {
        LogEvent e = events(PARSER, BATCH).get(2);

        assertThat(e.codeFields()).containsExactly(
                new FieldValue("body.error.code", "-32003", true, spec("error.code")),
                new FieldValue("attributes.code", "E2001", false, spec("code")));
        assertThat(e.timestamp()).isNull();
        assertThat(e.message()).as("no string body: its first message-like field").isEqualTo("denied");
    }

    @Test
    void shouldReadEscapedKeysAndValueNamesAsTheirPlainSpelling() {
        // Plain keys are entered from the record's bytes, escaped ones from their decoded text; "shop" names no rule,
        // so its path segment is cut from the record only when a value under it is kept, in every event of a batch.
        String batch = """
                {"resourceLogs":[{"scopeLogs":[{"logRecords":[
                  {"attributes":[{"key":"shop.data.error_code","value":{"stringValue":"E2001"}}]},
                  {"attributes":[{"key":"shop\\u002edata.error_code","value":{"string\\u0056alue":"E2001"}}]},
                  {"attributes":[{"key":"shop.data.error_code","value":{"stringValue":"E2001"}}]}]}]}]}
                """;

        List<LogEvent> events = events(PARSER, batch);

        FieldValue expected = new FieldValue("attributes.shop.data.error_code", "E2001", false,
                spec("data.error_code"));
        assertThat(events).hasSize(3).extracting(LogEvent::codeFields).containsOnly(List.of(expected));
    }

    @Test
    void shouldReadAnEmptyBatchAsNoEvents() {
        assertThat(events(PARSER, "{\"resourceLogs\":[]}")).isEmpty();
        assertThat(events(PARSER, "{\"resourceLogs\":[{\"scopeLogs\":[{\"scope\":{}}]}]}")).isEmpty();
    }

    @Test
    void shouldOnlyTreatATopLevelResourceLogsKeyAsOtlp() {
        assertThat(single("{\"x\":{\"resourceLogs\":[]}}").format()).isEqualTo(LogFormat.JSON);
        assertThat(events(PARSER, "{\"msg\":\"first\",\"resourceLogs\":[]}")).isEmpty();
    }

    @Test
    void shouldRejectBatchesOfTheWrongShapeAsMalformedOtlp() {
        for (String bad : List.of(
                "{\"resourceLogs\":{}}",
                "{\"resourceLogs\":[1]}",
                "{\"resourceLogs\":[{\"scopeLogs\":{}}]}",
                "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":{}}]}]}",
                "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[\"x\"]}]}]}",
                "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"attributes\":[{\"value\":{}}]}]}]}]}",
                "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"attributes\":{}}]}]}]}",
                "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":\"text\"}]}]}]}",
                "{\"resourceLogs\":[{\"resource\":[],\"scopeLogs\":[]}]}")) {
            assertThat(unreadable(bad).reason()).as(bad).isEqualTo(UnreadableReason.MALFORMED_OTLP);
            assertThat(unreadable(bad).detail()).as(bad).doesNotContain("text");
        }
    }

    @Test
    void shouldRejectMoreLogRecordsThanMaxBatchRecords() {
        EventParser parser = new EventParser(withLimits(1 << 20, 64, 1 << 16, 4096, 2));

        assertThat(unreadable(parser, utf8(BATCH)).reason()).isEqualTo(UnreadableReason.TOO_MANY_RECORDS);
    }

    @Test
    void shouldRejectARecordWithMoreScalarsThanMaxFields() {
        EventParser parser = new EventParser(withLimits(1 << 20, 64, 1 << 16, 2, 100));

        assertThat(unreadable(parser, utf8(BATCH)).reason()).isEqualTo(UnreadableReason.TOO_MANY_FIELDS);
    }

    @Test
    void shouldRejectTruncatedOrTrailingOtlpAsMalformedJson() {
        assertThat(unreadable("{\"resourceLogs\":[{\"scopeLogs\":[").reason())
                .isEqualTo(UnreadableReason.MALFORMED_JSON);
        assertThat(unreadable("{\"resourceLogs\":[]} x").reason()).isEqualTo(UnreadableReason.MALFORMED_JSON);
        assertThat(unreadable("{\"resourceLogs\":[]}{}").reason()).isEqualTo(UnreadableReason.MALFORMED_JSON);
    }

    @Test
    void shouldApplyStringLimitsInsideOtlp() {
        EventParser parser = new EventParser(withLimits(1 << 20, 64, 10, 100, 100));
        String record = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":{\"stringValue\":\""
                + "z".repeat(50) + "\"}}]}]}]}";

        assertThat(unreadable(parser, utf8(record)).reason()).isEqualTo(UnreadableReason.STRING_TOO_LONG);
    }

    @Test
    void shouldReportInvalidUtf8InABatchFirstWhateverElseIsWrong() {
        // malformed JSON (an empty array element) before the bad byte: UTF-8 is still what is reported
        byte[] head = utf8("{\"resourceLogs\":[{\"scopeLogs\":[,]}],\"note\":\"ab");
        byte[] tail = utf8("\"}");
        byte[] record = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, record, 0, head.length);
        record[head.length] = (byte) 0xC3; // a lead byte with no continuation
        System.arraycopy(tail, 0, record, head.length + 1, tail.length);

        ParseResult.Unreadable u = unreadable(PARSER, record);

        assertThat(u.reason()).isEqualTo(UnreadableReason.INVALID_UTF8);
        assertThat(u.detail()).isEqualTo("invalid UTF-8 at byte " + head.length);
    }

    @Test
    void shouldReadTheMessageAndCodesOfAStructuredBodyAsOfAttributes() {
        // A collector's JSON parser (filelog receiver, parse_to: body) leaves the log's fields in a kvlist body.
        String batch = "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
                + "{\"stringValue\":\"nefia-agent\"}}]},\"scopeLogs\":[{\"logRecords\":[{\"severityText\":\"ERROR\","
                + "\"body\":{\"kvlistValue\":{\"values\":["
                + "{\"key\":\"msg\",\"value\":{\"stringValue\":\"exec failed: SSH_CONNECT_FAILED\"}},"
                + "{\"key\":\"err_code\",\"value\":{\"stringValue\":\"E2001\"}}]}}}]}]}]}";
        LogEvent e = events(PARSER, batch).get(0);

        assertThat(e.codeFields()).extracting(FieldValue::field, FieldValue::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("body.err_code", "E2001"));
        assertThat(e.textFields()).extracting(FieldValue::field).containsExactly("body.msg");
        assertThat(e.message()).isEqualTo("exec failed: SSH_CONNECT_FAILED");
    }
}
