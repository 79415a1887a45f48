package dev.faultline.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Text copied from logs into alerts, aggregates and dead-letter details (service, host, sample
 * messages) has every control character escaped: no CR/LF to forge lines, no ESC/OSC for terminal
 * injection, no C1 controls, no line separators, no bidi controls that make text display
 * differently from what it is.
 */
class AlertTextEscapingTest {
    /** One of each hostile kind. */
    private static final String HOSTILE = "svc\r\nlevel=error forged\u001b[31mred\u001b]8;;http://evil\u0007"
            + "\u009b2J\u007f\u0000\u2028\u2029\u202egnp.exe\u2066x\u2069\u200e\u200f\u061c\ufeffend";

    @Test
    void textSafeEscapesEveryControlBidiAndSeparatorCharacterAsVisibleUnicodeEscapes() {
        String out = Text.safe(HOSTILE, 10_000);
        assertNoRawControls(out);
        assertThat(out).startsWith("svc\\u000d\\u000alevel=error forged\\u001b[31mred")
                .contains("\\u009b2J\\u007f\\u0000\\u2028\\u2029\\u202egnp.exe\\u2066x\\u2069")
                .endsWith("\\u200e\\u200f\\u061c\\ufeffend");
    }

    @Test
    void textSafeLeavesOrdinaryTextIncludingOtherScriptsAndEmojiAlone() {
        String s = "timeout talking to vaultd – ошибка 錯誤 عربي \uD83D\uDD25";
        assertThat(Text.safe(s, 1000)).isEqualTo(s);
    }

    @Test
    void remediationStepsAreOneLineEachInTheAnnotationWithEachStepEscaped() throws Exception {
        dev.faultline.catalog.model.CatalogEntry vpn = TopologyFixture.CATALOGS.catalog("nefia").orElseThrow()
                .entry("VPN_NOT_READY").orElseThrow();
        Occurrence o = Occurrence.of(Occurrence.CODE, "svc", "nefia", "VPN_NOT_READY", "unavailable", "transient",
                "h1", "m", 60_000);
        AlertState s = AlertState.start(o, 60_000);
        s.count = 25;
        s.episodeStart = 60_000;
        AlertPolicy p = new AlertPolicy(60_000, 20, 3.0, 0.3, 300_000, 120_000, 86_400_000, 100, 5, 3, 512);

        JsonNode alert = new ObjectMapper().readTree(AlertJson.toBytes("fp", s, "firing", false, vpn, p, 61_000));

        assertThat(alert.path("annotations").path("remediation").asText().split("\n"))
                .containsExactlyElementsOf(vpn.remediation());
    }

    @Test
    void everyStringInAnAlertBuiltFromHostileServiceHostAndMessageIsEscaped() throws Exception {
        Occurrence o = Occurrence.of(Occurrence.CODE, HOSTILE, "nefia", "SSH_AUTH_FAILED", "network", "transient",
                HOSTILE, HOSTILE, 60_000);
        AlertState s = AlertState.start(o, 60_000);
        s.count = 25;
        s.lastScore = Double.POSITIVE_INFINITY;
        s.episodeStart = 60_000;
        s.hosts.put(HOSTILE, 25L);
        s.samples.add(HOSTILE);
        AlertPolicy p = new AlertPolicy(60_000, 20, 3.0, 0.3, 300_000, 120_000, 86_400_000, 100, 5, 3, 512);

        JsonNode alert = new ObjectMapper().readTree(AlertJson.toBytes("fp", s, "firing", false, null, p, 61_000));

        List<String> strings = new ArrayList<>();
        collectStrings(alert, strings);
        assertThat(strings).isNotEmpty();
        strings.forEach(AlertTextEscapingTest::assertNoRawControls);
        assertThat(alert.path("labels").path("service").asText()).startsWith("svc\\u000d\\u000alevel=error");
        assertThat(alert.path("service").asText()).isEqualTo(alert.path("labels").path("service").asText());
        assertThat(alert.path("annotations").path("summary").asText()).contains("svc\\u000d\\u000a");
        assertThat(alert.path("top_hosts").path(0).path("host").asText()).contains("\\u001b[31m");
        assertThat(alert.path("sample_messages").path(0).asText()).contains("\\u202egnp.exe");
    }

    private static void collectStrings(JsonNode n, List<String> out) {
        if (n.isTextual()) {
            out.add(n.asText());
        }
        n.fieldNames().forEachRemaining(out::add);
        n.elements().forEachRemaining(c -> collectStrings(c, out));
    }

    static void assertNoRawControls(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean bad = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029
                    || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f
                    || c == 0x061c || c == 0xfeff;
            assertThat(bad).as("raw U+%04X at %d in %s", (int) c, i, s).isFalse();
        }
    }
}
