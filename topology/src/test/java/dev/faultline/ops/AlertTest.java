package dev.faultline.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AlertTest {
    static final String FIRING = """
            {"schema":"faultline.alert/v1","status":"firing","reminder":false,"fingerprint":"0a1b2c3d4e5f6071",
             "labels":{"alertname":"FaultlineTransientErrorSpike","service":"vaultd","catalog":"vault-rpc",
                       "code":"VAULT_LOCKED","severity":"warning"},
             "annotations":{"summary":"spike of transient errors VAULT_LOCKED (vault-rpc) in vaultd",
                            "description":"42 occurrences\\r\\nforged: \\u001b[31mred"},
             "startsAt":"2026-11-21T10:00:00Z","notifiedAt":"2026-11-21T10:01:00Z",
             "count":42,"sample_messages":["line one\\nline two"]}
            """;

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsFaultlineAlertV1() {
        Alert a = Alert.fromJson(bytes(FIRING));
        assertThat(a.firing()).isTrue();
        assertThat(a.labels()).containsEntry("code", "VAULT_LOCKED").containsEntry("service", "vaultd")
                .containsEntry("alertname", "FaultlineTransientErrorSpike");
        assertThat(a.startsAt()).isEqualTo(Instant.parse("2026-11-21T10:00:00Z"));
        assertThat(a.endsAt()).isNull();
        assertThat(a.fingerprint()).isEqualTo("0a1b2c3d4e5f6071");
    }

    @Test
    void escapesControlCharactersCopiedFromLogsIntoAnnotations() {
        Alert a = Alert.fromJson(bytes(FIRING));
        assertThat(a.annotations().get("description")).isEqualTo("42 occurrences\\r\\nforged: \\u001b[31mred")
                .doesNotContain("\r").doesNotContain("\n").doesNotContain("\u001b");
    }

    @Test
    void readsResolvedWithItsEnd() {
        Alert a = Alert.fromJson(bytes(FIRING.replace("\"status\":\"firing\"", "\"status\":\"resolved\"")
                .replace("\"notifiedAt\"", "\"endsAt\":\"2026-11-21T10:09:00Z\",\"notifiedAt\"")));
        assertThat(a.firing()).isFalse();
        assertThat(a.endsAt()).isEqualTo(Instant.parse("2026-11-21T10:09:00Z"));
    }

    @Test
    void makesLabelNamesValidForAlertmanager() {
        Alert a = Alert.fromJson(bytes("""
                {"labels":{"error.class":"timeout","9lives":"x","ok_name":"y","empty":""},
                 "startsAt":"2026-11-21T10:00:00Z","status":"firing"}"""));
        assertThat(a.labels()).containsOnlyKeys("error_class", "_9lives", "ok_name");
    }

    @Test
    void rejectsWhatIsNotAnAlert() {
        assertThatThrownBy(() -> Alert.fromJson(bytes("not json"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Alert.fromJson(bytes("[1]"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Alert.fromJson(bytes("{\"labels\":{\"a\":\"b\"}}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Alert.fromJson(bytes("{\"labels\":{},\"startsAt\":\"2026-11-21T10:00:00Z\"}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Alert.fromJson(bytes(FIRING.replace("faultline.alert/v1", "faultline.alert/v9"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Alert.fromJson(bytes(FIRING.replace("\"firing\"", "\"resolved\""))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
