package dev.faultline.it.security;

import dev.faultline.it.ItSupport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.app.FaultlineApp;
import dev.faultline.config.FaultlineConfig;
import dev.faultline.kafka.EmbeddedKafkaBroker;
import dev.faultline.kafka.EmbeddedKafkaBroker.SaslMechanism;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faultline's {@code kafka:} section reaches every Kafka client unchanged: against a broker whose
 * only ways in besides plaintext are SASL_SSL (SCRAM-SHA-512, PLAIN) and mutual TLS, the app
 * configured with the matching client settings reads logs and writes enriched events.
 */
class SecuredListenersPassThroughTest {
    private static final String USER = "faultline";
    private static ThrowawayPki pki;
    private static String saslPassword;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        pki = ThrowawayPki.get();
        saslPassword = ThrowawayPki.randomPassword(20);
        broker = new EmbeddedKafkaBroker(EmbeddedKafkaBroker.Options.builder()
                .saslSsl(pki.brokerKeyStore(), Map.of(USER, saslPassword), SaslMechanism.SCRAM_SHA_512,
                        SaslMechanism.PLAIN)
                .mutualTls(pki.brokerKeyStore(), pki.trustStore())
                .build()).start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static Map<String, String> saslSsl(SaslMechanism mechanism, String password) {
        Map<String, String> k = new LinkedHashMap<>();
        k.put("bootstrap.servers", broker.saslSslBootstrapServers());
        k.put("security.protocol", "SASL_SSL");
        k.put("sasl.mechanism", mechanism.mechanismName());
        k.put("sasl.jaas.config", mechanism.clientJaasConfig(USER, password));
        k.put("ssl.truststore.location", pki.trustStore().path().toString());
        k.put("ssl.truststore.password", pki.trustStore().password());
        k.put("ssl.truststore.type", "PKCS12");
        return k;
    }

    private static Map<String, String> mutualTls(boolean withClientCertificate) {
        Map<String, String> k = new LinkedHashMap<>();
        k.put("bootstrap.servers", broker.mutualTlsBootstrapServers());
        k.put("security.protocol", "SSL");
        k.put("ssl.truststore.location", pki.trustStore().path().toString());
        k.put("ssl.truststore.password", pki.trustStore().password());
        k.put("ssl.truststore.type", "PKCS12");
        if (withClientCertificate) {
            k.put("ssl.keystore.location", pki.clientKeyStore().path().toString());
            k.put("ssl.keystore.password", pki.clientKeyStore().password());
            k.put("ssl.keystore.type", "PKCS12");
        }
        return k;
    }

    @Test
    void appConfiguredForSaslSslWithScramEnrichesAnEventThroughTheSaslSslListener() {
        enrichesOneEventWith(saslSsl(SaslMechanism.SCRAM_SHA_512, saslPassword), "sasl-ssl");
    }

    @Test
    void appConfiguredForMutualTlsEnrichesAnEventThroughTheClientCertificateListener() {
        enrichesOneEventWith(mutualTls(true), "mtls");
    }

    @Test
    void saslSslListenerAcceptsPlainTooAndRejectsAWrongPassword() throws Exception {
        assertThat(clusterId(saslSsl(SaslMechanism.PLAIN, saslPassword))).isEqualTo(broker.clusterId());
        assertThatThrownBy(() -> clusterId(saslSsl(SaslMechanism.SCRAM_SHA_512, "wrong-" + saslPassword)))
                .hasCauseInstanceOf(SaslAuthenticationException.class);
    }

    @Test
    void mutualTlsListenerRejectsAClientWithoutACertificate() {
        assertThatThrownBy(() -> clusterId(mutualTls(false)))
                .hasCauseInstanceOf(SslAuthenticationException.class);
    }

    @Test
    void optionsAndStoresNeverPrintTheirPasswords() {
        assertThat(broker.options().toString()).doesNotContain(saslPassword).contains(USER);
        for (var store : List.of(pki.brokerKeyStore(), pki.clientKeyStore(), pki.trustStore())) {
            assertThat(store.toString()).doesNotContain(store.password()).contains("[hidden]");
        }
    }

    private static String clusterId(Map<String, String> security) throws Exception {
        try (Admin admin = Admin.create(SecurityIt.client(security))) {
            try {
                return admin.describeCluster().clusterId().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException("describeCluster failed", e.getCause());
            }
        }
    }

    private static void enrichesOneEventWith(Map<String, String> security, String test) {
        SecurityIt.Names names = SecurityIt.Names.unique(test);
        broker.createTopics(1, names.all()); // over the plaintext listener: test setup, not the app
        Path state = ItSupport.tempDir("faultline-it-state-");
        FaultlineConfig config = SecurityIt.config(SecurityIt.configYaml(names, state, security));
        assertThat(config.kafkaProperties()).containsAllEntriesOf(security);
        Map<String, Object> client = SecurityIt.client(security);
        try (LogCapture logs = new LogCapture(); FaultlineApp app = SecurityIt.startApp(config)) {
            SecurityIt.produce(client, names.input(), List.of(SecurityIt.ERROR_LINE.getBytes(StandardCharsets.UTF_8)));

            List<ConsumerRecord<byte[], byte[]>> enriched = SecurityIt.readUntil(client, names.enriched(),
                    read -> !read.isEmpty(), "one enriched event");

            JsonNode event = ItSupport.json(enriched.get(0).value());
            assertThat(event.path("schema").asText()).isEqualTo("faultline.enriched/v1");
            assertThat(event.path("errors").path(0).path("code").asText()).isEqualTo(SecurityIt.ERROR_CODE);
            assertThat(event.path("source").path("topic").asText()).isEqualTo(names.input());
            assertThat(app.state().name()).isEqualTo("RUNNING");
            String logged = logs.text();
            for (String secret : List.of(saslPassword, pki.trustStore().password(), pki.clientKeyStore().password())) {
                assertThat(logged).as("log output").doesNotContain(secret);
            }
        } finally {
            ItSupport.deleteRecursively(state);
        }
    }
}
