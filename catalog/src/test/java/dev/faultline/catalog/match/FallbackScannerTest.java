package dev.faultline.catalog.match;

import static dev.faultline.catalog.testing.TestEvents.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.catalog.testing.TestEvents;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FallbackScannerTest {
    private final Matcher matcher = new Matcher(CatalogIndex.of(TestEvents.bundled()), TestEvents.BINDINGS);

    private List<String> codesIn(String service, String message) {
        return matcher.match(text(service, message)).errors().stream()
                .map(m -> m.ambiguous() ? "?" + m.matched() : m.entry().catalog() + ":" + m.entry().code())
                .toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "value 0xE2001F is a colour",
            "ticket E20010 closed",
            "metric SSH_AUTH_FAILED_TOTAL went up",
            "calling task.not_found_handler now",
            "order ORD-E2001-77 shipped",
            "offset -320011 reached",
            "E2001x and xE2001 and E2001_b",
            "path /api/E2001.html",
            "file SSH_AUTH_FAILED.log rotated",
            "FILE_NOT_FOUND_COUNT=3",
    })
    void shouldFindNoCodeInNearMisses(String message) {
        assertThat(codesIn("svc-nefia", message)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "the file Exists already",
            "InternalError while flushing",
            "ParseError somewhere",
            "there was a CONFLICT between us",
            "TIMEOUT reached",
            "the key was not_found in cache",
            "status -32013 returned",
            "got -32601 back",
    })
    void shouldNeverMatchOrdinaryWordsOrBareRpcNumbersWithoutCodeContext(String message) {
        assertThat(codesIn("svc-vault-rpc", message)).isEmpty();
        assertThat(codesIn("svc-foundry-mcp", message)).isEmpty();
        assertThat(codesIn("svc-agent-tasks", message)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"fs.write failed code=-32013", "fs.write failed (-32013)", "rpc error -32013 on fs.write",
            "fs.write failed: error_code: -32013", "errorCode=Exists", "fs.write failed [Exists]"})
    void shouldMatchRpcNumbersAndWordAliasesWithCodeContext(String message) {
        assertThat(codesIn("svc-vault-rpc", message)).containsExactly("vault-rpc:Exists");
    }

    /** A JSON-RPC envelope, or a quoted key, written into a message: the cue is right there, in quotes. */
    @ParameterizedTest
    @ValueSource(strings = {
            "upstream replied {\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32013,\"message\":\"precondition\"}}",
            "upstream replied {\"error\": {\"code\": -32013}}",
            "fs.write failed: code=\"-32013\"",
            "fs.write failed {'code': -32013}",
            "fs.write failed {\"error_code\":\"Exists\"}",
            "fs.write failed\terror\t-32013",
            "fs.write failed error \"Exists\"",
    })
    void shouldMatchRpcNumbersAndWordAliasesAfterAQuotedCueOrTabs(String message) {
        assertThat(codesIn("svc-vault-rpc", message)).containsExactly("vault-rpc:Exists");
    }

    /** Whole records the parser reads as text: a JSON-RPC batch is a JSON array; syslog wraps a JSON payload. */
    @ParameterizedTest
    @ValueSource(strings = {
            "[{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32013,\"message\":\"precondition failed\"}}]",
            "<11>1 2026-11-21T10:15:30Z h1 svc-vault-rpc 42 - - {\"level\":\"error\",\"error\":{\"code\":-32013}}",
    })
    void shouldFindTheRpcCodeOfAJsonEnvelopeInATextRecord(String record) {
        dev.faultline.catalog.event.ParseResult parsed = new dev.faultline.catalog.event.EventParser(
                dev.faultline.catalog.event.ParseConfig.defaults()).parse(
                record.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        dev.faultline.catalog.event.LogEvent event = ((dev.faultline.catalog.event.ParseResult.Events) parsed).events()
                .get(0).withServiceIfAbsent("svc-vault-rpc");

        assertThat(matcher.match(event).errors()).extracting(m -> m.entry().catalog() + ":" + m.entry().code())
                .containsExactly("vault-rpc:Exists");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "status \"-32013\" returned",
            "the key \"Exists\" already",
            "{\"count\":-32013}",
            "{\"codex\": \"Exists\"}",
            "x\"-32013\" and code\"-32013\"",
            "\"Exists\"",
    })
    void shouldNotTakeQuotesAloneForCodeContext(String message) {
        assertThat(codesIn("svc-vault-rpc", message)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"E2001", "(E2001)", "E2001.", "\"E2001\"", "code=E2001,", "[E2001]", "E2001:", "/E2001/"})
    void shouldMatchCodesAtExactTokenBoundaries(String token) {
        assertThat(codesIn("svc-nefia", "ssh failed " + token + " on host-3")).containsExactly("nefia:SSH_AUTH_FAILED");
    }

    @org.junit.jupiter.api.Test
    void shouldReportEveryDifferentCodeInOneEventOnce() {
        assertThat(codesIn("svc-nefia", "E2001 then SSH_AUTH_FAILED again, then E2002 and VPN_NOT_READY"))
                .containsExactly("nefia:SSH_AUTH_FAILED", "nefia:SSH_CONNECT_FAILED", "nefia:VPN_NOT_READY");
    }

    @org.junit.jupiter.api.Test
    void shouldNotTreatJoinedNonAsciiLettersAsBoundaries() {
        assertThat(codesIn("svc-nefia", "ÄE2001 and E2001é")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ssh failed E2001\uD835\uDC00 x", "ssh failed \uD842\uDFB7E2001 x"})
    void shouldNotTreatLettersOutsideTheBasicMultilingualPlaneAsBoundaries(String message) {
        // MATHEMATICAL BOLD CAPITAL A and a CJK ideograph of plane 2: letters written as surrogate pairs
        assertThat(codesIn("svc-nefia", message)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void shouldStillFindACodeNextToAnEmojiOutsideTheBasicMultilingualPlane() {
        assertThat(codesIn("svc-nefia", "\uD83D\uDD25E2001\uD83D\uDD25")).containsExactly("nefia:SSH_AUTH_FAILED");
    }
}
