package dev.faultline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WebhookSinkTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void postsEachAlertAsFaultlinePayloadWithEveryStringSanitizedAndRetriesLikeAlertmanager() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (FakeHttpServer hook = FakeHttpServer.started().respond(502);
                WebhookSink sink = new WebhookSink(new HttpSinkSettings(hook.base().resolve("/hooks/faultline"), 100,
                        64, Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(5), Duration.ofMillis(20),
                        Duration.ofSeconds(5), Duration.ofMinutes(20), Map.of()), registry)) {
            Alert a = Alert.fromJson(AlertTest.bytes(AlertTest.FIRING));
            sink.offer(a);
            sink.offer(a.resolvedAt(a.startsAt().plusSeconds(600)));

            FakeHttpServer.Request failed = hook.next();
            FakeHttpServer.Request first = hook.next();
            assertThat(first.body()).isEqualTo(failed.body());
            assertThat(first.path()).isEqualTo("/hooks/faultline");
            JsonNode p = JSON.readTree(first.body());
            assertThat(p.isObject()).isTrue();
            assertThat(p.path("schema").asText()).isEqualTo("faultline.alert/v1");
            assertThat(p.path("status").asText()).isEqualTo("firing");
            assertThat(p.path("labels").path("code").asText()).isEqualTo("VAULT_LOCKED");
            assertThat(p.path("count").asInt()).isEqualTo(42);
            assertThat(p.path("sample_messages").get(0).asText()).isEqualTo("line one\\nline two");
            assertThat(p.path("annotations").path("description").asText()).doesNotContain("\u001b");

            JsonNode second = JSON.readTree(hook.next().body());
            assertThat(second.path("status").asText()).isEqualTo("resolved");
            assertThat(second.path("endsAt").asText()).isEqualTo("2026-11-21T10:10:00Z");
            assertThat(sink.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
            assertThat(registry.find("faultline.alert.sink.sent").tag("sink", "webhook").counter().count())
                    .isEqualTo(2);
        }
    }
}
