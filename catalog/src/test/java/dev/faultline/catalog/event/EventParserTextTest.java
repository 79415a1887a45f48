package dev.faultline.catalog.event;

import static dev.faultline.catalog.event.ParserFixtures.single;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventParserTextTest {

    @Test
    void shouldReadALeadingRfc3339TimestampAndLevelWord() {
        String line = "2026-11-21T10:15:30.123Z ERROR [billing] E2001 ssh auth failed";

        LogEvent e = single(line);

        assertThat(e.format()).isEqualTo(LogFormat.TEXT);
        assertThat(e.timestamp()).isEqualTo("2026-11-21T10:15:30.123Z");
        assertThat(e.epochMillis()).isEqualTo(Instant.parse("2026-11-21T10:15:30.123Z").toEpochMilli());
        assertThat(e.level()).isEqualTo("ERROR");
        assertThat(e.service()).isNull();
        assertThat(e.message()).isEqualTo(line);
        assertThat(e.codeFields()).isEmpty();
        assertThat(e.textFields()).containsExactly(FieldValue.text("line", line));
    }

    @Test
    void shouldReadABracketedTimestampWithCommaFraction() {
        LogEvent e = single("[2026-11-21 10:15:30,250] WARN pool exhausted");

        assertThat(e.timestamp()).isEqualTo("2026-11-21 10:15:30,250");
        assertThat(e.epochMillis()).isEqualTo(Instant.parse("2026-11-21T10:15:30.250Z").toEpochMilli());
        assertThat(e.level()).isEqualTo("WARN");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ERROR: disk full|ERROR",
        "[warn] slow query|warn",
        "main (Fatal) crash|Fatal",
        "app svc thread critical stop|critical",
        "x level=error y|error",
        "INFO|INFO",
        "Err something|Err",
    })
    void shouldFindLevelWordsAmongTheFirstTokens(String line, String level) {
        assertThat(single(line).level()).isEqualTo(level);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ERRORS happened",
        "one two three four error five",
        "informational note",
        "user=error_handler did things",
    })
    void shouldNotTakeAWordThatIsNotAWholeLeadingLevelWord(String line) {
        assertThat(single(line).level()).isNull();
    }

    @Test
    void shouldKeepAMultiLineRecordWhole() {
        String record = "java.lang.IllegalStateException: E2001\n\tat a.b.C.d(C.java:1)\n\tat e.f.G.h(G.java:2)";

        LogEvent e = single(record + "\n");

        assertThat(e.textFields()).containsExactly(FieldValue.text("line", record));
        assertThat(e.timestamp()).isNull();
    }

    @Test
    void shouldReadRfc3164Syslog() {
        LogEvent e = single("<34>Nov 21 10:15:30 web-1 sshd[123]: E2001 authentication failed for root");

        assertThat(e.format()).isEqualTo(LogFormat.TEXT);
        assertThat(e.timestamp()).isEqualTo("Nov 21 10:15:30");
        assertThat(e.epochMillis()).isNull(); // no year in RFC 3164
        assertThat(e.host()).isEqualTo("web-1");
        assertThat(e.service()).isEqualTo("sshd");
        assertThat(e.message()).isEqualTo("E2001 authentication failed for root");
        assertThat(e.level()).isEqualTo("crit"); // PRI 34 = auth.crit
        assertThat(e.textFields()).extracting(FieldValue::field).containsExactly("line");
    }

    @Test
    void shouldPreferALevelWordInTheSyslogMessageOverThePriority() {
        LogEvent e = single("<11>Nov  1 08:00:00 edge nginx: ERROR upstream timed out");

        assertThat(e.timestamp()).isEqualTo("Nov  1 08:00:00");
        assertThat(e.service()).isEqualTo("nginx");
        assertThat(e.level()).isEqualTo("ERROR");
    }

    @Test
    void shouldReadRfc3164WithoutHostAndWithRfc3339Timestamp() {
        LogEvent noHost = single("<13>Nov 21 10:15:30 app: hello");
        assertThat(noHost.host()).isNull();
        assertThat(noHost.service()).isEqualTo("app");
        assertThat(noHost.message()).isEqualTo("hello");

        LogEvent rsyslog = single("<30>2026-11-21T10:15:30.5+01:00 h2 worker[9]: done");
        assertThat(rsyslog.epochMillis()).isEqualTo(Instant.parse("2026-11-21T09:15:30.500Z").toEpochMilli());
        assertThat(rsyslog.host()).isEqualTo("h2");
        assertThat(rsyslog.service()).isEqualTo("worker");
        assertThat(rsyslog.level()).isEqualTo("info");
    }

    @Test
    void shouldReadRfc5424Syslog() {
        LogEvent e = single("<34>1 2026-11-21T10:15:30Z host1 app - - - msg with -32003");

        assertThat(e.timestamp()).isEqualTo("2026-11-21T10:15:30Z");
        assertThat(e.epochMillis()).isEqualTo(Instant.parse("2026-11-21T10:15:30Z").toEpochMilli());
        assertThat(e.host()).isEqualTo("host1");
        assertThat(e.service()).isEqualTo("app");
        assertThat(e.message()).isEqualTo("msg with -32003");
        assertThat(e.textFields()).containsExactly(
                FieldValue.text("line", "<34>1 2026-11-21T10:15:30Z host1 app - - - msg with -32003"));
    }

    @Test
    void shouldSkipRfc5424StructuredDataAndMessageBom() {
        LogEvent e = single("<165>1 2026-11-21T10:15:30.003Z mymachine.example.com evntslog - ID47 "
                + "[exampleSDID@32473 iut=\"3\" note=\"a \\\"]\\\" b\"][other@1 k=\"v\"] \uFEFFAn application event");

        assertThat(e.service()).isEqualTo("evntslog");
        assertThat(e.host()).isEqualTo("mymachine.example.com");
        assertThat(e.message()).isEqualTo("An application event");
        assertThat(e.level()).isEqualTo("notice");
    }

    @Test
    void shouldReadRfc5424WithNilValuesAndNoMessage() {
        LogEvent e = single("<34>1 - - - - - -");

        assertThat(e.timestamp()).isNull();
        assertThat(e.host()).isNull();
        assertThat(e.service()).isNull();
        assertThat(e.message()).isNull();
    }

    @Test
    void shouldTreatABrokenSyslogHeaderAsPlainText() {
        LogEvent e = single("<html> ERROR not syslog");

        assertThat(e.host()).isNull();
        assertThat(e.message()).isEqualTo("<html> ERROR not syslog");
        assertThat(e.level()).isEqualTo("ERROR");
        assertThat(single("<999>Nov 21 10:15:30 h a: m").host()).isNull();
    }

    @Test
    void shouldTreatAJsonArrayLineAsText() {
        assertThat(single("[1,2,3]").format()).isEqualTo(LogFormat.TEXT);
    }

    @Test
    void shouldTakeTheServiceFromAProgramAndPidTagAfterTheTimestampAndLevel() {
        LogEvent e = single("2026-11-21T10:15:30.123Z ERROR foundry-mcp[4242]: rate limit hit; error: RATE_LIMIT_EXCEEDED");

        assertThat(e.service()).isEqualTo("foundry-mcp");
        assertThat(e.level()).isEqualTo("ERROR");
        assertThat(e.epochMillis()).isNotNull();
        assertThat(e.message()).startsWith("2026-11-21T10:15:30.123Z ERROR foundry-mcp[4242]:");
    }

    @Test
    void shouldTakeTheServiceFromAPidTagAfterAHost() {
        assertThat(single("2026-11-21T10:15:30Z web-1 worker.v2[17]: started").service()).isEqualTo("worker.v2");
        assertThat(single("sshd[123]: Accepted publickey for root").service()).isEqualTo("sshd");
    }

    @Test
    void shouldReadTheTraditionalSyslogFileFormatWithoutPri() {
        LogEvent e = single("Nov 21 10:15:30 web-1 sshd[123]: E2001 authentication failed for root");

        assertThat(e.service()).isEqualTo("sshd");
        assertThat(e.host()).isEqualTo("web-1");
        assertThat(e.timestamp()).isEqualTo("Nov 21 10:15:30");
        assertThat(e.message()).isEqualTo("E2001 authentication failed for root");
        assertThat(e.level()).isNull(); // no <PRI>, and the message names no level
        assertThat(single("Nov  1 08:00:00 edge kernel: ERROR oom-killer invoked").service()).isEqualTo("kernel");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Nov 21 10:15:30 disk full on /var",
        "Nov 21 10:15:30 error: disk full",
        "2026-11-21T10:15:30Z ERROR worker[main]: stopped",
        "2026-11-21T10:15:30Z ERROR pool[3] exhausted",
        "[2026-11-21 10:15:30,250] WARN Caused by: timeout",
        "2026-11-21T10:15:30Z ERROR [12]: no name",
        "2026-11-21T10:15:30Z ERROR 9lives[12]: name starts with a digit",
        "2026-11-21T10:15:30Z ERROR request 7 failed: x worker[12]: too far in",
        "2026-11-21T10:15:30Z ERROR app[12345678901]: pid too long"})
    void shouldNotCallAnythingLooserThanATagAService(String line) {
        LogEvent e = single(line);

        assertThat(e.service()).isNull();
        assertThat(e.message()).isEqualTo(line);
    }
}
