package dev.faultline.it.security;

import dev.faultline.it.ItSupport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.faultline.config.FaultlineConfig;
import dev.faultline.kafka.EmbeddedKafkaBroker;
import dev.faultline.kafka.EmbeddedKafkaBroker.SaslMechanism;
import dev.faultline.topology.DlqHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Secrets given to Faultline as Kafka config-provider references ({@code ${file:…}} and
 * {@code ${env:…}}) are resolved by the Kafka clients, so the app authenticates; and the resolved
 * values never appear in its log output (every logger at INFO, Kafka's config dumps included), its
 * Prometheus metrics, its HTTP answers, its dead-letter headers or {@link FaultlineConfig#toString()}.
 *
 * <p>The app runs in a child JVM because only there can the test set the environment variable the
 * env provider reads.
 */
class SecretsFromConfigProvidersTest {
    private static final String USER = "faultline";
    private static final String ENV_VAR = "SECRET_KAFKA_TRUSTSTORE_PASSWORD";
    private static final Pattern OPS_PORT = Pattern.compile("OPS_PORT=(\\d+)");
    private static ThrowawayPki pki;
    private static String saslPassword;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        pki = ThrowawayPki.get();
        saslPassword = ThrowawayPki.randomPassword(20);
        broker = new EmbeddedKafkaBroker(EmbeddedKafkaBroker.Options.builder()
                .saslSsl(pki.brokerKeyStore(), Map.of(USER, saslPassword), SaslMechanism.SCRAM_SHA_512)
                .build()).start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** The literal values that must never leak. */
    private static List<String> secrets() {
        List<String> s = new ArrayList<>(pki.secrets());
        s.add(saslPassword);
        return s;
    }

    /** What the test's own clients use: the same listener and credentials, given literally. */
    private static Map<String, Object> literalClient() {
        Map<String, String> k = new LinkedHashMap<>();
        k.put("bootstrap.servers", broker.saslSslBootstrapServers());
        k.put("security.protocol", "SASL_SSL");
        k.put("sasl.mechanism", SaslMechanism.SCRAM_SHA_512.mechanismName());
        k.put("sasl.jaas.config", SaslMechanism.SCRAM_SHA_512.clientJaasConfig(USER, saslPassword));
        k.put("ssl.truststore.location", pki.trustStore().path().toString());
        k.put("ssl.truststore.password", pki.trustStore().password());
        k.put("ssl.truststore.type", "PKCS12");
        return SecurityIt.client(k);
    }

    /** The app's kafka: section: no secret in it, only references the providers resolve. */
    private static Map<String, String> kafkaWithProviders(Path secretsDir, Path secretsFile) {
        Map<String, String> k = new LinkedHashMap<>();
        k.put("bootstrap.servers", broker.saslSslBootstrapServers());
        k.put("config.providers", "file,env");
        k.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        k.put("config.providers.file.param.allowed.paths", secretsDir.toString());
        k.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        k.put("config.providers.env.param.allowlist.pattern", "SECRET_KAFKA_.*");
        k.put("security.protocol", "SASL_SSL");
        k.put("sasl.mechanism", SaslMechanism.SCRAM_SHA_512.mechanismName());
        k.put("sasl.jaas.config", SaslMechanism.SCRAM_SHA_512.clientJaasConfig(USER,
                "${file:" + secretsFile + ":password}"));
        k.put("ssl.truststore.location", pki.trustStore().path().toString());
        k.put("ssl.truststore.password", "${env:" + ENV_VAR + "}");
        k.put("ssl.truststore.type", "PKCS12");
        return k;
    }

    @Test
    void secretsFromFileAndEnvProvidersAuthenticateAndNeverShowInLogsMetricsHttpDeadLettersOrConfig()
            throws Exception {
        SecurityIt.Names names = SecurityIt.Names.unique("providers");
        broker.createTopics(1, names.all());
        Path work = ItSupport.tempDir("faultline-it-providers-");
        Path secretsDir = Files.createDirectory(work.resolve("secrets"));
        Path secretsFile = secretsDir.resolve("secrets.properties");
        Files.writeString(secretsFile, "password=" + saslPassword + "\n");
        Files.setPosixFilePermissions(secretsFile, PosixFilePermissions.fromString("rw-------"));
        String yaml = SecurityIt.configYaml(names, work.resolve("state"), kafkaWithProviders(secretsDir, secretsFile))
                + "ops.port: 0\n";
        Path configFile = Files.writeString(work.resolve("faultline.yaml"), yaml);
        for (String secret : secrets()) {
            assertThat(yaml).as("the config file holds references, not secrets").doesNotContain(secret);
        }
        Path log = work.resolve("child.log");
        Process child = startChild(configFile, work, log);
        try {
            int port = awaitRunning(child, log);
            Map<String, Object> client = literalClient();
            byte[] poison = "{\"level\":\"error\",\"msg\":\"truncated".getBytes(StandardCharsets.UTF_8);
            SecurityIt.produce(client, names.input(), List.of(
                    SecurityIt.ERROR_LINE.getBytes(StandardCharsets.UTF_8), poison));

            List<ConsumerRecord<byte[], byte[]>> enriched = SecurityIt.readUntil(client, names.enriched(),
                    read -> !read.isEmpty(), "one enriched event");
            assertThat(ItSupport.json(enriched.get(0).value()).path("errors").path(0).path("code").asText())
                    .isEqualTo(SecurityIt.ERROR_CODE);
            List<ConsumerRecord<byte[], byte[]>> dlq = SecurityIt.readUntil(client, names.dlq(),
                    read -> !read.isEmpty(), "one dead letter");
            assertThat(dlq.get(0).value()).isEqualTo(poison);
            assertThat(dlq.get(0).headers().lastHeader(DlqHeaders.REASON)).isNotNull();
            for (Header h : dlq.get(0).headers()) {
                assertNoSecret("DLQ header " + h.key(), h.key() + "=" + ItSupport.text(h.value()));
            }

            RawHttp.Response scrape = RawHttp.request(port, "GET", "/metrics");
            assertThat(scrape.status()).isEqualTo(200);
            assertThat(scrape.body()).contains("faultline_events_read_total").contains("kafka_consumer_");
            assertNoSecret("/metrics", scrape.all());
            assertThat(RawHttp.request(port, "GET", "/health/ready").status()).isEqualTo(200);
            for (String path : OpsEndpointsExposeNoConfigurationTest.UNDOCUMENTED) {
                RawHttp.Response r = RawHttp.request(port, "GET", path);
                assertThat(r.status()).as("GET %s", path).isEqualTo(404);
                assertNoSecret(path, r.all());
            }
        } finally {
            stop(child);
        }
        String output = read(log);
        // The scan means something only if Kafka's config dumps were logged: they name the secret keys.
        assertThat(output).contains("sasl.jaas.config = [hidden]").contains("ssl.truststore.password = [hidden]");
        assertNoSecret("child log output", output);
        assertNoSecret("FaultlineConfig.toString()", FaultlineConfig.load(configFile, Map.of()).orThrow().toString());
        ItSupport.deleteRecursively(work);
    }

    private static void assertNoSecret(String where, String text) {
        for (String secret : secrets()) {
            if (text.contains(secret)) {
                fail("a secret (%s...) leaked into %s", secret.substring(0, 3), where);
            }
        }
    }

    private static Process startChild(Path config, Path work, Path log) throws IOException {
        // Every logger at INFO, so Kafka's client config dumps are part of what is scanned.
        Path logback = Files.writeString(work.resolve("logback-child.xml"), """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <target>System.err</target>
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger - %msg%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dlogback.configurationFile=" + logback, "-cp", classpath, ProviderChildApp.class.getName(),
                config.toString());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("FAULTLINE_")); // only the file configures it
        pb.environment().put(ENV_VAR, pki.trustStore().password());
        return pb.start();
    }

    /** Waits for the child to say it runs; returns its ops port. Fails with the log tail if it dies. */
    private static int awaitRunning(Process child, Path log) {
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        while (true) {
            String out = read(log);
            if (out.contains("CHILD RUNNING")) {
                Matcher m = OPS_PORT.matcher(out);
                assertThat(m.find()).as("child printed its ops port").isTrue();
                return Integer.parseInt(m.group(1));
            }
            if (!child.isAlive() || System.nanoTime() > deadline) {
                String tail = out.length() > 4000 ? out.substring(out.length() - 4000) : out;
                for (String secret : secrets()) {
                    tail = tail.replace(secret, "<secret>");
                }
                fail("child app did not start (%s):%n%s", child.isAlive() ? "timed out" : "exited", tail);
            }
            try {
                child.waitFor(200, TimeUnit.MILLISECONDS); // the polling interval; returns at once if it exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    private static String read(Path log) {
        try {
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void stop(Process child) throws InterruptedException {
        child.destroy(); // SIGTERM: the shutdown hook closes the app, so shutdown logging is scanned too
        if (!child.waitFor(60, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
