package dev.faultline.catalog.event;

import static dev.faultline.catalog.event.ParserFixtures.single;
import static dev.faultline.catalog.event.ParserFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventParserLogfmtTest {

    @Test
    void shouldReadLogfmtCodesMessageAndMetadata() {
        LogEvent e = single("time=2026-11-21T10:15:30Z level=error service=agent host=h1 err_code=E2001 "
                + "rpc.error_code=-32003 msg=\"ssh auth failed: \\\"bad key\\\" in C:\\\\keys\"");

        assertThat(e.format()).isEqualTo(LogFormat.LOGFMT);
        assertThat(e.timestamp()).isEqualTo("2026-11-21T10:15:30Z");
        assertThat(e.epochMillis()).isEqualTo(Instant.parse("2026-11-21T10:15:30Z").toEpochMilli());
        assertThat(e.level()).isEqualTo("error");
        assertThat(e.service()).isEqualTo("agent");
        assertThat(e.host()).isEqualTo("h1");
        assertThat(e.codeFields()).containsExactly(
                new FieldValue("err_code", "E2001", false, spec("err_code")),
                new FieldValue("rpc.error_code", "-32003", true, spec("rpc.error_code")));
        assertThat(e.codeFields().get(1).spec().kind()).isEqualTo(FieldKind.RPC);
        assertThat(e.message()).isEqualTo("ssh auth failed: \"bad key\" in C:\\keys");
        assertThat(e.textFields()).containsExactly(
                FieldValue.text("msg", "ssh auth failed: \"bad key\" in C:\\keys"));
    }

    @Test
    void shouldMatchAnyDepthSpecsBySuffixOfADottedKey() {
        LogEvent e = single("msg=x response.error.code=-32601 job.data.error_code=QUOTA");

        assertThat(e.codeFields()).containsExactly(
                new FieldValue("response.error.code", "-32601", true, spec("error.code")),
                new FieldValue("job.data.error_code", "QUOTA", false, spec("data.error_code")));
    }

    @Test
    void shouldNotCarryAnythingFromOneLineToTheNext() {
        // the reader keeps one collector per thread; each line must start from nothing
        single("ts=2026-11-21T10:15:30Z level=error service=agent err_code=E2001 retry_after_ms=250 msg=boom");

        LogEvent next = single("host=h2 msg=\"all good\"");

        assertThat(next.codeFields()).isEmpty();
        assertThat(next.timestamp()).isNull();
        assertThat(next.epochMillis()).isNull();
        assertThat(next.level()).isNull();
        assertThat(next.service()).isNull();
        assertThat(next.retryAfterMs()).isNull();
        assertThat(next.host()).isEqualTo("h2");
        assertThat(next.textFields()).containsExactly(FieldValue.text("msg", "all good"));
    }

    @Test
    void shouldTreatAQuotedIntegerAsNumeric() {
        assertThat(single("code=\"-32601\" msg=x").codeFields().get(0).numeric()).isTrue();
    }

    @Test
    void shouldReadRetryHints() {
        assertThat(single("msg=x retry_after_ms=250").retryAfterMs()).isEqualTo(250L);
        assertThat(single("msg=x retry_after_seconds=1.5").retryAfterMs()).isEqualTo(1500L);
        assertThat(single("msg=x retry_after_seconds=NaN").retryAfterMs()).isNull();
    }

    @Test
    void shouldTreatASinglePairAsPlainText() {
        LogEvent e = single("code=E2001");

        assertThat(e.format()).isEqualTo(LogFormat.TEXT);
        assertThat(e.textFields()).containsExactly(FieldValue.text("line", "code=E2001"));
    }

    @Test
    void shouldTreatALineNotStartingWithAKeyAsPlainText() {
        assertThat(single("ERROR code=E2001 host=x").format()).isEqualTo(LogFormat.TEXT);
        assertThat(single("2026-11-21T10:15:30Z level=error msg=x").format()).isEqualTo(LogFormat.TEXT);
        assertThat(single("=x a=b c=d").format()).isEqualTo(LogFormat.TEXT);
    }

    @Test
    void shouldKeepTheWholeLineForTheFallbackWhenBareWordsSitBetweenPairs() {
        LogEvent e = single("level=error failed with E2001 code=x");

        assertThat(e.format()).isEqualTo(LogFormat.LOGFMT);
        assertThat(e.textFields()).containsExactly(FieldValue.text("line", "level=error failed with E2001 code=x"));
    }

    @Test
    void shouldTolerateAnUnterminatedQuoteAndEmptyValues() {
        LogEvent e = single("a= msg=\"never closed");

        assertThat(e.message()).isEqualTo("never closed");
    }

    @Test
    void shouldReadMessageFieldsUnderAttributesAndSkipOthers() {
        LogEvent e = single("attributes.exception.message=boom other=thing error.message=\"disk full\"");

        assertThat(e.textFields()).containsExactly(
                FieldValue.text("attributes.exception.message", "boom"),
                FieldValue.text("error.message", "disk full"));
    }

    @Test
    void shouldReadNumericEpochTimestamps() {
        assertThat(single("ts=1732184130.5 msg=x").epochMillis()).isEqualTo(1732184130500L);
    }
}
