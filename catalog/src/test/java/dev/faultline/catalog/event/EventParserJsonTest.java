package dev.faultline.catalog.event;

import static dev.faultline.catalog.event.ParserFixtures.PARSER;
import static dev.faultline.catalog.event.ParserFixtures.single;
import static dev.faultline.catalog.event.ParserFixtures.spec;
import static dev.faultline.catalog.event.ParserFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventParserJsonTest {

    private static long millis(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void shouldReadJsonRpcErrorCodeNestedAnywhereAsRpc() {
        LogEvent e = single("{\"msg\":\"x\",\"response\":{\"jsonrpc\":\"2.0\",\"id\":1,"
                + "\"error\":{\"code\":-32601,\"message\":\"method not found: fs.banana\"}}}");

        assertThat(e.format()).isEqualTo(LogFormat.JSON);
        assertThat(e.codeFields()).containsExactly(
                new FieldValue("response.error.code", "-32601", true, spec("error.code")));
        assertThat(e.codeFields().get(0).spec().kind()).isEqualTo(FieldKind.RPC);
        assertThat(e.message()).isEqualTo("x");
        assertThat(e.textFields()).containsExactly(FieldValue.text("msg", "x"),
                FieldValue.text("response.error.message", "method not found: fs.banana"));
    }

    @Test
    void shouldScanErrorMessagesOfEnvelopesNestedAnywhereButNotOtherNestedMessages() {
        LogEvent e = single("{\"msg\":\"x\",\"upstream\":{\"err\":{\"message\":\"E2001 from peer\"},"
                + "\"message\":\"not a message field\"},\"error\":{\"message\":\"top\"}}");

        assertThat(e.textFields()).containsExactly(FieldValue.text("msg", "x"),
                FieldValue.text("upstream.err.message", "E2001 from peer"),
                FieldValue.text("error.message", "top"));
    }

    @Test
    void shouldReadFoundryEnvelopeDataErrorCodeAndRetryAfterSeconds() {
        LogEvent e = single("{\"type\":\"error\",\"data\":{\"error_code\":\"RATE_LIMITED\","
                + "\"retry_after_seconds\":30,\"message\":\"slow down\"}}");

        assertThat(e.codeFields()).containsExactly(
                new FieldValue("data.error_code", "RATE_LIMITED", false, spec("data.error_code")));
        assertThat(e.retryAfterMs()).isEqualTo(30_000L);
    }

    @Test
    void shouldReadFoundryEnvelopeNestedInsideAnotherObject() {
        LogEvent e = single("{\"event\":{\"data\":{\"error_code\":\"E42\"}}}");

        assertThat(e.codeFields()).extracting(FieldValue::field).containsExactly("event.data.error_code");
    }

    @Test
    void shouldReadNefiaRetryAfterMsNestedInErrorData() {
        LogEvent e = single("{\"error\":{\"code\":-32029,\"message\":\"rate limited\","
                + "\"data\":{\"retry_after_ms\":1500}}}");

        assertThat(e.retryAfterMs()).isEqualTo(1500L);
        assertThat(e.codeFields()).containsExactly(new FieldValue("error.code", "-32029", true, spec("error.code")));
    }

    @Test
    void shouldPreferRetryAfterMsOverRetryAfterSeconds() {
        LogEvent e = single("{\"retry_after_seconds\":2,\"x\":{\"retry_after_ms\":750}}");

        assertThat(e.retryAfterMs()).isEqualTo(750L);
    }

    @Test
    void shouldScaleFractionalRetryAfterSeconds() {
        assertThat(single("{\"retry_after_seconds\":1.5}").retryAfterMs()).isEqualTo(1500L);
    }

    @Test
    void shouldIgnoreNegativeOrNonNumericRetryHints() {
        assertThat(single("{\"retry_after_ms\":-5}").retryAfterMs()).isNull();
        assertThat(single("{\"retry_after_ms\":\"soon\"}").retryAfterMs()).isNull();
        assertThat(single("{\"retry_after_ms\":true}").retryAfterMs()).isNull();
    }

    @Test
    void shouldReadNestedEcsDocument() {
        LogEvent e = single("{\"@timestamp\":\"2026-11-21T10:15:30.123Z\",\"log\":{\"level\":\"error\"},"
                + "\"ecs\":{\"version\":\"8.11.0\"},\"service\":{\"name\":\"billing\"},\"host\":{\"name\":\"web-1\"},"
                + "\"message\":\"boom\",\"error\":{\"code\":\"E2001\",\"type\":\"SshError\",\"message\":\"auth failed\"}}");

        assertThat(e.format()).isEqualTo(LogFormat.ECS);
        assertThat(e.timestamp()).isEqualTo("2026-11-21T10:15:30.123Z");
        assertThat(e.epochMillis()).isEqualTo(millis("2026-11-21T10:15:30.123Z"));
        assertThat(e.level()).isEqualTo("error");
        assertThat(e.service()).isEqualTo("billing");
        assertThat(e.host()).isEqualTo("web-1");
        assertThat(e.message()).isEqualTo("boom");
        assertThat(e.codeFields()).containsExactly(
                new FieldValue("error.code", "E2001", false, spec("error.code")),
                new FieldValue("error.type", "SshError", false, spec("error.type")));
        assertThat(e.textFields()).containsExactly(
                FieldValue.text("message", "boom"),
                FieldValue.text("error.message", "auth failed"));
    }

    @Test
    void shouldReadEcsDocumentWithDottedKeysAsTheSamePaths() {
        LogEvent e = single("{\"@timestamp\":\"2026-11-21T10:15:30Z\",\"log.level\":\"ERROR\","
                + "\"service.name\":\"agent\",\"host.hostname\":\"h2\",\"error.code\":\"-32003\","
                + "\"error.message\":\"denied\",\"message\":\"x\"}");

        assertThat(e.format()).isEqualTo(LogFormat.ECS);
        assertThat(e.level()).isEqualTo("ERROR");
        assertThat(e.service()).isEqualTo("agent");
        assertThat(e.host()).isEqualTo("h2");
        assertThat(e.codeFields()).containsExactly(new FieldValue("error.code", "-32003", true, spec("error.code")));
        assertThat(e.textFields()).extracting(FieldValue::field).containsExactly("error.message", "message");
    }

    @Test
    void shouldDetectEcsFromTheEcsVersionKeyAlone() {
        assertThat(single("{\"ecs.version\":\"1.6.0\",\"message\":\"m\"}").format()).isEqualTo(LogFormat.ECS);
    }

    @Test
    void shouldNotCallJsonEcsWithoutMarkerOrTimestampAndLevel() {
        assertThat(single("{\"@timestamp\":\"2026-11-21T10:15:30Z\",\"level\":\"error\"}").format())
                .isEqualTo(LogFormat.JSON);
        assertThat(single("{\"ecsy\":1}").format()).isEqualTo(LogFormat.JSON);
    }

    @Test
    void shouldMatchAPathWhoseKeysMixDotsAndNesting() {
        LogEvent e = single("{\"response\":{\"error.code\":-32601}}");

        assertThat(e.codeFields()).containsExactly(
                new FieldValue("response.error.code", "-32601", true, spec("error.code")));
    }

    @Test
    void shouldReadPinoLineWithNumericLevelAndErrCode() {
        LogEvent e = single("{\"level\":50,\"time\":1732184130123,\"pid\":7,\"hostname\":\"node-3\","
                + "\"name\":\"api\",\"msg\":\"request failed\",\"err\":{\"type\":\"Error\","
                + "\"message\":\"connect ECONNREFUSED\",\"code\":\"ECONNREFUSED\",\"stack\":\"Error: x\\n    at y\"}}");

        assertThat(e.level()).isEqualTo("50");
        assertThat(e.timestamp()).isEqualTo("1732184130123");
        assertThat(e.epochMillis()).isEqualTo(1732184130123L);
        assertThat(e.host()).isEqualTo("node-3");
        assertThat(e.message()).isEqualTo("request failed");
        assertThat(e.codeFields()).containsExactly(
                new FieldValue("err.code", "ECONNREFUSED", false, spec("err.code")));
        assertThat(e.textFields()).extracting(FieldValue::field)
                .containsExactly("msg", "err.message", "err.stack");
        assertThat(e.textFields().get(2).value()).isEqualTo("Error: x\n    at y");
    }

    @Test
    void shouldReadTypedFieldsInsideTopLevelAttributesLabelsAndFieldsMaps() {
        LogEvent e = single("{\"attributes\":{\"error.type\":\"timeout\",\"rpc.jsonrpc.error_code\":-32001,"
                + "\"exception.message\":\"deadline exceeded\"},\"labels\":{\"error_code\":\"E1\"},"
                + "\"fields\":{\"errorCode\":\"E2\"}}");

        assertThat(e.codeFields()).containsExactly(
                new FieldValue("attributes.error.type", "timeout", false, spec("error.type")),
                new FieldValue("attributes.rpc.jsonrpc.error_code", "-32001", true, spec("rpc.jsonrpc.error_code")),
                new FieldValue("labels.error_code", "E1", false, spec("error_code")),
                new FieldValue("fields.errorCode", "E2", false, spec("errorCode")));
        assertThat(e.textFields()).containsExactly(
                FieldValue.text("attributes.exception.message", "deadline exceeded"));
    }

    @Test
    void shouldNotReadTopLevelOnlyFieldsWhenNestedElsewhere() {
        LogEvent e = single("{\"details\":{\"code\":\"X\",\"error_code\":\"Y\"},"
                + "\"attributes\":{\"nested\":{\"code\":1}},\"x\":{\"attributes\":{\"code\":2}}}");

        assertThat(e.codeFields()).isEmpty();
    }

    @Test
    void shouldNotReadPlainMessageFieldsWhenNestedElsewhere() {
        LogEvent e = single("{\"response\":{\"message\":\"nested\"},\"labels\":{\"message\":\"m\"}}");

        assertThat(e.textFields()).isEmpty();
    }

    @Test
    void shouldDescendIntoArraysKeepingThePath() {
        LogEvent e = single("{\"errors\":[{\"error\":{\"code\":-32602}},{\"error\":{\"code\":-32603}}],"
                + "\"code\":[\"A1\",\"B2\"]}");

        assertThat(e.codeFields()).containsExactly(
                new FieldValue("errors.error.code", "-32602", true, spec("error.code")),
                new FieldValue("errors.error.code", "-32603", true, spec("error.code")),
                new FieldValue("code", "A1", false, spec("code")),
                new FieldValue("code", "B2", false, spec("code")));
    }

    @Test
    void shouldMarkNumbersAndStringsThatReadAsNumbersNumericButNotWords() {
        LogEvent e = single("{\"code\":404,\"error_code\":\"-32601\",\"errorCode\":1.5,\"err_code\":\"E-1\","
                + "\"error\":{\"code\":\" -3.2601e4 \",\"type\":\"1e\"}}");

        assertThat(e.codeFields()).extracting(FieldValue::value, FieldValue::numeric).containsExactly(
                org.assertj.core.groups.Tuple.tuple("404", true),
                org.assertj.core.groups.Tuple.tuple("-32601", true),
                org.assertj.core.groups.Tuple.tuple("1.5", true),
                org.assertj.core.groups.Tuple.tuple("E-1", false),
                org.assertj.core.groups.Tuple.tuple(" -3.2601e4 ", true),
                org.assertj.core.groups.Tuple.tuple("1e", false));
    }

    @Test
    void shouldSkipBooleanNullAndEmptyCodeValues() {
        LogEvent e = single("{\"code\":true,\"error_code\":null,\"errorCode\":\"\"}");

        assertThat(e.codeFields()).isEmpty();
    }

    @Test
    void shouldPickTheFirstConfiguredSpecWhenSeveralMatchOneValue() {
        TypedField anywhere = new TypedField("code", FieldKind.RPC, true);
        TypedField topLevel = new TypedField("code", FieldKind.CODE, false);
        ParseConfig d = ParseConfig.defaults();
        EventParser parser = new EventParser(new ParseConfig(List.of(anywhere, topLevel), d.messageFields(),
                d.maxRecordBytes(), d.maxDepth(), d.maxStringChars(), d.maxFields(), d.maxBatchRecords()));

        LogEvent e = single(parser, "{\"code\":-1,\"a\":{\"code\":-2}}");

        assertThat(e.codeFields()).containsExactly(
                new FieldValue("code", "-1", true, anywhere),
                new FieldValue("a.code", "-2", true, anywhere));
    }

    @Test
    void shouldUseConfiguredMessageFields() {
        ParseConfig d = ParseConfig.defaults();
        EventParser parser = new EventParser(new ParseConfig(d.typedFields(), List.of("payload.note"),
                d.maxRecordBytes(), d.maxDepth(), d.maxStringChars(), d.maxFields(), d.maxBatchRecords()));

        LogEvent e = single(parser, "{\"msg\":\"m\",\"payload\":{\"note\":\"E2001 happened\"}}");

        assertThat(e.textFields()).containsExactly(FieldValue.text("payload.note", "E2001 happened"));
        assertThat(e.message()).isEqualTo("m");
    }

    @Test
    void shouldTreatJsonInsideAStringAsPlainText() {
        LogEvent e = single("{\"message\":\"{\\\"error\\\":{\\\"code\\\":-32601}}\"}");

        assertThat(e.codeFields()).isEmpty();
        assertThat(e.textFields()).containsExactly(FieldValue.text("message", "{\"error\":{\"code\":-32601}}"));
    }

    @Test
    void shouldDecodeEscapesAndNonAsciiText() {
        LogEvent e = single("{\"msg\":\"caf\\u00e9 \u2713 \uD83D\uDE00\"}");

        assertThat(e.message()).isEqualTo("caf\u00e9 \u2713 \uD83D\uDE00");
    }

    @Test
    void shouldTakeMetadataByListPriorityNotDocumentOrder() {
        LogEvent e = single("{\"ts\":1,\"msg\":\"second choice\",\"app\":\"a\",\"hostname\":\"h\","
                + "\"lvl\":\"warn\",\"@timestamp\":\"2026-11-21T10:15:30Z\",\"message\":\"first choice\","
                + "\"service\":\"s\",\"host\":\"hh\",\"level\":\"error\"}");

        assertThat(e.timestamp()).isEqualTo("2026-11-21T10:15:30Z");
        assertThat(e.message()).isEqualTo("first choice");
        assertThat(e.service()).isEqualTo("s");
        assertThat(e.host()).isEqualTo("hh");
        assertThat(e.level()).isEqualTo("error");
    }

    @Test
    void shouldReadServiceFromResourceServiceNameAndApplication() {
        assertThat(single("{\"resource\":{\"service.name\":\"r\"}}").service()).isEqualTo("r");
        assertThat(single("{\"application\":\"app1\"}").service()).isEqualTo("app1");
    }

    @Test
    void shouldIgnoreMetadataOfTheWrongType() {
        LogEvent e = single("{\"service\":{\"version\":\"1\"},\"host\":42,\"message\":[\"a\"],\"level\":true}");

        assertThat(e.service()).isNull();
        assertThat(e.host()).isNull();
        assertThat(e.level()).isNull();
    }

    @Test
    void shouldParseTimestampsOfEveryCommonShape() {
        assertThat(single("{\"timestamp\":\"2026-11-21T12:15:30.5+02:00\"}").epochMillis())
                .isEqualTo(millis("2026-11-21T10:15:30.500Z"));
        assertThat(single("{\"time\":1732184130}").epochMillis()).isEqualTo(1732184130000L);
        assertThat(single("{\"time\":1732184130.25}").epochMillis()).isEqualTo(1732184130250L);
        assertThat(single("{\"ts\":1732184130123456}").epochMillis()).isEqualTo(1732184130123L);
        assertThat(single("{\"ts\":1732184130123456789}").epochMillis()).isEqualTo(1732184130123L);
        assertThat(single("{\"datetime\":\"1732184130\"}").epochMillis()).isEqualTo(1732184130000L);
        assertThat(single("{\"date\":\"2026-11-21\"}").epochMillis()).isEqualTo(millis("2026-11-21T00:00:00Z"));
    }

    @Test
    void shouldKeepAnUnparseableTimestampAsTextWithoutEpoch() {
        LogEvent e = single("{\"timestamp\":\"yesterday at noon\",\"msg\":\"m\"}");

        assertThat(e.timestamp()).isEqualTo("yesterday at noon");
        assertThat(e.epochMillis()).isNull();
    }

    @Test
    void shouldAcceptTrailingWhitespaceAndLeadingBom() {
        byte[] body = utf8("{\"msg\":\"x\"}\r\n");
        byte[] withBom = new byte[body.length + 5];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        withBom[3] = ' ';
        withBom[4] = '\t';
        System.arraycopy(body, 0, withBom, 5, body.length);

        ParseResult r = PARSER.parse(withBom);

        assertThat(r).isInstanceOf(ParseResult.Events.class);
        assertThat(((ParseResult.Events) r).events().get(0).message()).isEqualTo("x");
    }

    @Test
    void shouldParseOnlyTheGivenSliceOfABuffer() {
        byte[] buffer = utf8("{\"code\":\"A\"}{\"code\":\"B\"}");

        ParseResult second = PARSER.parse(buffer, 12, 12);

        assertThat(((ParseResult.Events) second).events().get(0).codeFields())
                .extracting(FieldValue::value).containsExactly("B");
    }

    @Test
    void shouldReportPositionsRelativeToTheSlice() {
        byte[] buffer = utf8("xxxxxxxxxx{\"a\":1} junk");

        ParseResult r = PARSER.parse(buffer, 10, buffer.length - 10);

        assertThat(r).isInstanceOf(ParseResult.Unreadable.class);
        assertThat(((ParseResult.Unreadable) r).detail()).contains("at byte 8");
    }

    @Test
    void shouldGiveEachEventImmutableLists() {
        LogEvent e = single("{\"code\":\"A\",\"msg\":\"m\"}");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> e.codeFields().add(null))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldBeSafeToShareBetweenThreads() throws Exception {
        String line = "{\"msg\":\"x\",\"response\":{\"error\":{\"code\":-32601}},\"data\":{\"error_code\":\"E9\"}}";
        LogEvent expected = single(line);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        if (!single(line).equals(expected)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (java.util.concurrent.Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldReadTheNextRecordCleanlyAfterOneWithAHugeDottedKeyOnTheSameThread() {
        String hostile = "{\"" + "a.".repeat(20_000) + "b\":{\"error\":{\"code\":-32601}},\"msg\":\"m\"}";
        LogEvent first = single(hostile);

        LogEvent next = single("{\"error\":{\"code\":-32602,\"message\":\"bad params\"},\"level\":\"error\"}");

        // The path is cut to its last segments that fit the cap.
        String tail = "a.".repeat((EventCollector.MAX_PATH_CHARS - "….b.error.code".length()) / 2) + "b.error.code";
        assertThat(first.codeFields()).extracting(FieldValue::field).containsExactly("…." + tail);
        assertThat(next.codeFields()).extracting(FieldValue::field, FieldValue::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("error.code", "-32602"));
        assertThat(next.level()).isEqualTo("error");
        assertThat(next.message()).as("its own error.message, nothing of the record before").isEqualTo("bad params");
    }

    @Test
    void shouldTakeTheTextOfAnErrorEnvelopeWithoutAMessageFieldAsItsMessage() {
        assertThat(single("{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32601,"
                + "\"message\":\"method not found: fs.banana\"}}").message()).isEqualTo("method not found: fs.banana");
        assertThat(single("{\"success\":false,\"data\":{\"error_code\":\"SPEC_NOT_FOUND\"},"
                + "\"error\":\"Spec x not found\"}").message()).isEqualTo("Spec x not found");
        assertThat(single("{\"error\":\"the error\",\"msg\":\"the message\"}").message()).isEqualTo("the message");
        // the configured order of the message fields, not the document's: the message before a stack trace
        assertThat(single("{\"level\":\"error\",\"error\":{\"type\":\"java.io.IOException\","
                + "\"stack_trace\":\"java.io.IOException: ssh auth failed\\n\\tat a.B.c(B.java:1)\","
                + "\"message\":\"ssh auth failed\"}}").message()).isEqualTo("ssh auth failed");
    }

    @Test
    void shouldNotReadABodyObjectOfAJsonLogAsAContainerOfCodes() {
        // An access log that logs a request's payload: its code is a coupon, not an error (only an OTLP log
        // record's structured body is read as its fields)
        LogEvent e = single("{\"level\":\"info\",\"msg\":\"POST /api/redeem 200\","
                + "\"body\":{\"code\":\"SUMMER-SALE\",\"text\":\"E2001 in a note\"}}");
        assertThat(e.codeFields()).isEmpty();
        assertThat(e.textFields()).extracting(FieldValue::field).containsExactly("msg");
    }

    @Test
    void shouldReadJournaldAndDotNetJsonLogs() {
        LogEvent journald = single("{\"__REALTIME_TIMESTAMP\":\"1795256130000000\",\"_HOSTNAME\":\"h1\","
                + "\"SYSLOG_IDENTIFIER\":\"nefia-agent\",\"PRIORITY\":\"3\","
                + "\"MESSAGE\":\"exec failed: E2001 SSH authentication failed\"}");
        assertThat(journald.message()).isEqualTo("exec failed: E2001 SSH authentication failed");
        assertThat(journald.textFields()).extracting(FieldValue::field).containsExactly("MESSAGE");
        assertThat(journald.service()).isEqualTo("nefia-agent");
        assertThat(journald.host()).isEqualTo("h1");
        assertThat(journald.level()).isEqualTo("3");
        assertThat(journald.epochMillis()).isEqualTo(1_795_256_130_000L);
        LogEvent dotnet = single("{\"Timestamp\":\"2026-11-21T10:15:30Z\",\"EventId\":0,\"LogLevel\":\"Error\","
                + "\"Category\":\"Nefia.Client\",\"Message\":\"exec failed: E2001\"}");
        assertThat(dotnet.message()).isEqualTo("exec failed: E2001");
        assertThat(dotnet.textFields()).extracting(FieldValue::field).containsExactly("Message");
        assertThat(dotnet.level()).isEqualTo("Error");
        assertThat(dotnet.timestamp()).isEqualTo("2026-11-21T10:15:30Z");
    }
}
