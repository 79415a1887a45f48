package dev.faultline.catalog.match;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.catalog.event.FieldValue;
import dev.faultline.catalog.testing.TestEvents;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What one event reports is bounded, and the bound never takes the code that resolves an ambiguous match. */
class MatchBoundsTest {
    private final Matcher matcher = new Matcher(CatalogIndex.of(TestEvents.bundled()), TestEvents.BINDINGS);

    /** An event of no service with an ambiguous typed -32001 and {@code message}. */
    private List<String> codes(String message) {
        return matcher.match(TestEvents.event(null,
                        List.of(new FieldValue("error.code", "-32001", true, TestEvents.RPC_FIELD)),
                        List.of(FieldValue.text("message", message)))).errors().stream()
                .map(e -> e.ambiguous() ? "?" + e.matched() : e.entry().catalog() + ":" + e.entry().code()).toList();
    }

    @Test
    void shouldNotDropTheCodeThatResolvesAnAmbiguousFindingAtTheBound() {
        // 15 other nefia codes, then POLICY_DENIED: the nefia meaning of the ambiguous -32001 the event also carries
        String names = "E1002 E1003 VPN_FAILED SSH_CONNECT_FAILED SSH_HOST_KEY_CHANGED SSH_SESSION_FAILED SFTP_FAILED"
                + " CMD_TIMEOUT FILE_NOT_FOUND PERMISSION_DENIED HOST_NOT_FOUND CONFIG_INVALID SELECTOR_INVALID"
                + " FILE_TOO_LARGE PATH_DENIED POLICY_DENIED";

        assertThat(codes(names)).hasSize(Matcher.MAX_ERRORS_PER_EVENT).contains("nefia:POLICY_DENIED")
                .doesNotContain("?-32001");
    }

    @Test
    void shouldStillBoundWhatOneEventReports() {
        String names = String.join(" ", TestEvents.bundled().catalog("nefia").orElseThrow().entries().keySet()
                .stream().limit(3L * Matcher.MAX_ERRORS_PER_EVENT).toList());

        assertThat(codes(names)).hasSize(Matcher.MAX_ERRORS_PER_EVENT);
    }
}
