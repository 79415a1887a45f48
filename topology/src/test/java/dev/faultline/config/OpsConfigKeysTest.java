package dev.faultline.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ops, query-routing and alert-delivery keys: defaults, validation, environment overrides. */
class OpsConfigKeysTest {

    @Test
    void shouldDefaultToLoopbackOpsWithoutAlertDelivery() {
        FaultlineConfig c = FaultlineConfig.defaults();

        assertThat(c.get(FaultlineKeys.OPS_HOST)).isEqualTo("127.0.0.1");
        assertThat(c.get(FaultlineKeys.OPS_PORT)).isEqualTo(9400);
        assertThat(c.get(FaultlineKeys.APPLICATION_SERVER)).isNull();
        assertThat(c.get(FaultlineKeys.ALERTS_ALERTMANAGER_URLS)).isEmpty();
        assertThat(c.get(FaultlineKeys.ALERTS_WEBHOOK_URL)).isNull();
        assertThat(c.get(FaultlineKeys.ALERTS_SINK_QUEUE_CAPACITY)).isEqualTo(10_000);
        assertThat(c.get(FaultlineKeys.ALERTS_SINK_FIRING_TTL)).isEqualTo(Duration.ofMinutes(20));
        assertThat(c.get(FaultlineKeys.ALERTS_FORWARDER_MAX_AGE)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void shouldReadTheKeysFromYamlAndTheEnvironment() {
        ConfigResult r = FaultlineConfig.parse("""
                ops: {host: 0.0.0.0, port: 9500}
                application.server: faultline-0.faultline:9500
                alerts:
                  webhook: {url: "https://hooks.example.com/x"}
                  sink: {queue-capacity: 50, firing-ttl: 30m}
                  forwarder: {max-age: 1h}
                """, Map.of("FAULTLINE_ALERTS_ALERTMANAGER_URLS", "http://am-0:9093,http://am-1:9093"));

        FaultlineConfig c = r.orThrow();
        assertThat(c.get(FaultlineKeys.OPS_HOST)).isEqualTo("0.0.0.0");
        assertThat(c.get(FaultlineKeys.OPS_PORT)).isEqualTo(9500);
        assertThat(c.get(FaultlineKeys.APPLICATION_SERVER)).isEqualTo("faultline-0.faultline:9500");
        assertThat(c.get(FaultlineKeys.ALERTS_ALERTMANAGER_URLS)).containsExactly("http://am-0:9093",
                "http://am-1:9093");
        assertThat(c.get(FaultlineKeys.ALERTS_WEBHOOK_URL)).isEqualTo("https://hooks.example.com/x");
        assertThat(c.get(FaultlineKeys.ALERTS_SINK_QUEUE_CAPACITY)).isEqualTo(50);
        assertThat(c.get(FaultlineKeys.ALERTS_SINK_FIRING_TTL)).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.get(FaultlineKeys.ALERTS_FORWARDER_MAX_AGE)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void shouldRejectBadValuesWithoutEchoingUrlsThatMayHoldCredentials() {
        ConfigResult r = FaultlineConfig.parse("""
                ops: {port: 70000}
                application.server: "no-port"
                alerts:
                  alertmanager: {urls: ["ftp://user:s3cret@am:9093"]}
                  webhook: {url: "not a url with s3cret"}
                  sink: {queue-capacity: 0}
                """, Map.of());

        List<String> errors = r.errors();
        assertThat(errors).hasSize(5);
        assertThat(String.join("\n", errors))
                .contains("ops.port", "application.server", "alerts.alertmanager.urls", "alerts.webhook.url",
                        "alerts.sink.queue-capacity")
                .doesNotContain("s3cret");
    }

    @Test
    void shouldRefuseApplicationServerUnderKafkaBecauseTheTypedKeyOwnsIt() {
        ConfigResult r = FaultlineConfig.parse("kafka: {application.server: \"h:1\"}", Map.of());

        assertThat(r.errors()).singleElement().asString().contains("set 'application.server' instead");
    }

    @Test
    void shouldRefuseDuplicateAlertmanagerUrls() {
        ConfigResult r = FaultlineConfig.parse("alerts: {alertmanager: {urls: [\"http://a:1\", \"http://a:1\"]}}",
                Map.of());

        assertThat(r.errors()).singleElement().asString().contains("distinct");
    }
}
