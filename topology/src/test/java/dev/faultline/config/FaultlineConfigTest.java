package dev.faultline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.catalog.event.ParseConfig;
import dev.faultline.catalog.event.TypedField;
import dev.faultline.catalog.match.ServiceBinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultlineConfigTest {

    @Test
    void shouldUseDocumentedDefaultsWhenNothingIsConfigured() {
        FaultlineConfig c = FaultlineConfig.parse("", Map.of()).orThrow();

        assertThat(c.applicationId()).isEqualTo("faultline");
        assertThat(c.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(c.processingGuarantee()).isEqualTo(FaultlineKeys.Guarantee.EXACTLY_ONCE_V2);
        assertThat(c.inputTopics()).containsExactly("logs");
        assertThat(c.inputPattern()).isEmpty();
        assertThat(List.of(c.enrichedTopic(), c.aggregatesTopic(), c.alertsTopic(), c.dlqTopic()))
                .containsExactly("faultline.enriched", "faultline.aggregates", "faultline.alerts", "faultline.dlq");
        assertThat(c.windowSizes()).containsExactly(Duration.ofMinutes(1));
        assertThat(c.windowGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.get(FaultlineKeys.ALERTS_MIN_COUNT)).isEqualTo(20);
        assertThat(c.get(FaultlineKeys.ALERTS_SCORE_THRESHOLD)).isEqualTo(3.0);
        assertThat(c.emitEventsWithoutErrors()).isFalse();
        assertThat(c.catalogDirs()).isEmpty();
        ParseConfig parse = c.enricherConfig().parse();
        assertThat(parse.typedFields()).isEqualTo(TypedField.defaults());
        assertThat(parse.messageFields()).isEqualTo(ParseConfig.DEFAULT_MESSAGE_FIELDS);
        assertThat(parse.maxRecordBytes()).isEqualTo(1024 * 1024);
        assertThat(parse.maxDepth()).isEqualTo(64);
        assertThat(c.enricherConfig().maxMessageChars()).isEqualTo(8192);
    }

    @Test
    void shouldReportEveryErrorAtOnce() {
        String yaml = """
                windows:
                  grace: soon
                  sizes: [1m, 1m]
                alerts:
                  ewma-alpha: 1.5
                  min-count: zero
                processing.guarantee: exactly_once
                topics:
                  dlq: "bad topic!"
                """;

        ConfigResult r = FaultlineConfig.parse(yaml, Map.of("FAULTLINE_ALERTS_MAX___HOSTS", "many"));

        assertThat(r.isValid()).isFalse();
        assertThat(r.errors()).hasSize(7);
        assertThat(String.join("\n", r.errors()))
                .contains("windows.grace: not a duration")
                .contains("windows.sizes: window sizes must be distinct")
                .contains("alerts.ewma-alpha: must be in (0, 1]")
                .contains("alerts.min-count: not an integer")
                .contains("processing.guarantee: expected one of [at_least_once, exactly_once_v2]")
                .contains("topics.dlq: not a valid topic name")
                .contains("environment FAULTLINE_ALERTS_MAX___HOSTS: alerts.max-hosts: not an integer");
        assertThatThrownBy(r::orThrow).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).errors()).hasSize(7));
    }

    @Test
    void shouldRejectUnknownKeysAndSuggestTheClosestOne() {
        ConfigResult r = FaultlineConfig.parse("""
                alerts:
                  min-cout: 5
                windowz: {sizes: [1m]}
                """, Map.of("FAULTLINE_ALERTS_REPEAT_INTERVAL", "1m"));

        assertThat(r.errors()).hasSize(3);
        assertThat(r.errors().get(0)).contains("alerts.min-cout: unknown key (did you mean 'alerts.min-count'?)");
        assertThat(r.errors().get(1)).contains("windowz.sizes: unknown key (did you mean 'windows.sizes'?)");
        // '_' where '___' (a dash) was meant: the variable maps to a key that does not exist.
        assertThat(r.errors().get(2)).contains("FAULTLINE_ALERTS_REPEAT_INTERVAL").contains("alerts.repeat.interval")
                .contains("did you mean 'alerts.repeat-interval'");
    }

    @Test
    void shouldLetEnvironmentWinOverTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("faultline.yaml");
        Files.writeString(file, """
                application.id: from-file
                kafka:
                  bootstrap.servers: file:9092
                alerts:
                  min-count: 7
                windows:
                  sizes: [1m]
                emit.events-without-errors: false
                """);
        Map<String, String> env = Map.of(
                "FAULTLINE_KAFKA_BOOTSTRAP_SERVERS", "env:9092",
                "FAULTLINE_ALERTS_MIN___COUNT", "50",
                "FAULTLINE_WINDOWS_SIZES", "1m, 5m",
                "FAULTLINE_EMIT_EVENTS___WITHOUT___ERRORS", "true",
                "FAULTLINE_SERVICES", "[{glob: 'nefia-*', catalogs: [nefia]}]",
                "FAULTLINE_CONFIG", "/ignored/reserved.yaml",
                "PATH", "/usr/bin");

        FaultlineConfig c = FaultlineConfig.load(file, env).orThrow();

        assertThat(c.applicationId()).isEqualTo("from-file");
        assertThat(c.bootstrapServers()).isEqualTo("env:9092");
        assertThat(c.kafkaProperties()).containsEntry("bootstrap.servers", "env:9092");
        assertThat(c.get(FaultlineKeys.ALERTS_MIN_COUNT)).isEqualTo(50);
        assertThat(c.windowSizes()).containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(5));
        assertThat(c.emitEventsWithoutErrors()).isTrue();
        assertThat(c.serviceBindings()).containsExactly(new ServiceBinding("nefia-*", List.of("nefia")));
    }

    @Test
    void shouldMapEnvironmentNamesWithTheConfluentConvention() {
        assertThat(FaultlineConfig.envToKey("FAULTLINE_KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("kafka.bootstrap.servers");
        assertThat(FaultlineConfig.envToKey("FAULTLINE_ALERTS_MIN___COUNT")).isEqualTo("alerts.min-count");
        assertThat(FaultlineConfig.envToKey("FAULTLINE_KAFKA_SSL_KEYSTORE__TYPE")).isEqualTo("kafka.ssl.keystore_type");
    }

    @Test
    void shouldPassKafkaSettingsThroughUnchanged() {
        FaultlineConfig c = FaultlineConfig.parse("""
                kafka:
                  bootstrap.servers: b1:9093,b2:9093
                  security.protocol: SASL_SSL
                  sasl:
                    mechanism: SCRAM-SHA-512
                  sasl.jaas.config: "${file:/etc/secrets.properties:jaas}"
                  producer.linger.ms: 20
                  config.providers: file
                """, Map.of("FAULTLINE_KAFKA_CONFIG_PROVIDERS_FILE_CLASS",
                "org.apache.kafka.common.config.provider.FileConfigProvider")).orThrow();

        Properties p = c.streamsProperties();

        assertThat(p).containsEntry("bootstrap.servers", "b1:9093,b2:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "${file:/etc/secrets.properties:jaas}")
                .containsEntry("producer.linger.ms", "20")
                .containsEntry("config.providers", "file")
                .containsEntry("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
    }

    @Test
    void shouldGiveTheStreamsProducerLargerBatchesUnlessTheKafkaBlockSetsThem() {
        Properties defaults = FaultlineConfig.parse("application.id: fl-test", Map.of()).orThrow().streamsProperties();
        Properties plain = FaultlineConfig.parse("kafka: {batch.size: 32768}", Map.of()).orThrow().streamsProperties();
        Properties prefixed = FaultlineConfig.parse("kafka: {producer.batch.size: 262144}", Map.of()).orThrow()
                .streamsProperties();

        // what the Streams producer is really built with, as Kafka Streams resolves prefixes and its own defaults
        assertThat(producerBatchSize(defaults)).isEqualTo("65536");
        assertThat(producerBatchSize(plain)).isEqualTo("32768");
        assertThat(producerBatchSize(prefixed)).isEqualTo("262144");
        assertThat(plain).doesNotContainKey("producer.batch.size");
    }

    private static String producerBatchSize(Properties p) {
        p.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, "fl-test");
        return String.valueOf(new StreamsConfig(p).getProducerConfigs("client").get("batch.size"));
    }

    @Test
    void shouldRefuseHostAndSampleBoundsWhoseRecordsKafkaWouldRefuse() {
        ConfigResult r = FaultlineConfig.parse("""
                aggregates: {max-distinct-hosts: 10000, max-sample-chars: 4096}
                alerts: {max-samples: 100}
                """, Map.of());

        assertThat(r.errors()).hasSize(2);
        assertThat(r.errors().get(0)).contains("aggregates.max-distinct-hosts").contains("1048576");
        assertThat(r.errors().get(1)).contains("alerts.max-samples").contains("an alert could reach");
        // the defaults, and bounds raised within reason, fit
        assertThat(FaultlineConfig.parse("aggregates: {max-distinct-hosts: 500, max-sample-chars: 4096}\n"
                + "alerts: {max-samples: 20, max-hosts: 20}", Map.of()).errors()).isEmpty();
    }

    @Test
    void shouldRefuseAFutureSkewBeyondHalfTheAggregateStoresMargin() {
        assertThat(FaultlineConfig.parse("event-time: {max-future-skew: 3h}", Map.of()).errors()).singleElement()
                .asString().contains("event-time.max-future-skew").contains("at most 30m");
        assertThat(FaultlineConfig.parse("event-time: {max-future-skew: 30m}", Map.of()).errors()).isEmpty();
    }

    @Test
    void shouldRefuseKafkaKeysThatATypedKeyOwns() {
        ConfigResult r = FaultlineConfig.parse("kafka: {processing.guarantee: at_least_once}", Map.of());

        assertThat(r.errors()).singleElement().asString().contains("set 'processing.guarantee' instead");
    }

    @Test
    void shouldSetEveryStreamsSettingFaultlineDecidesExplicitly() {
        Properties p = FaultlineConfig.parse("""
                application.id: fl-test
                state.dir: /tmp/fl-state
                topics: {dlq: my.dlq}
                """, Map.of()).orThrow().streamsProperties();

        assertThat(p).containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "fl-test")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.STATE_DIR_CONFIG, "/tmp/fl-state")
                .containsEntry(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "my.dlq")
                .containsEntry(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true)
                .containsKeys(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG);
        // The Streams config parser must accept everything we put in.
        new StreamsConfig(p);
    }

    @Test
    void shouldTreatInputListAndPatternAsExclusiveAtTheSameLevel() {
        ConfigResult both = FaultlineConfig.parse("topics: {input: [a], input.pattern: 'logs\\\\..*'}", Map.of());
        assertThat(both.errors()).singleElement().asString().contains("exclusive");

        FaultlineConfig envPattern = FaultlineConfig.parse("topics: {input: [a]}",
                Map.of("FAULTLINE_TOPICS_INPUT_PATTERN", "logs\\..*")).orThrow();
        assertThat(envPattern.inputPattern()).map(Pattern::pattern).contains("logs\\..*");
        assertThat(envPattern.inputTopics()).isEmpty();
    }

    @Test
    void shouldRejectInputsThatWouldReadFaultlinesOwnOutput() {
        ConfigResult r = FaultlineConfig.parse("topics: {input.pattern: 'faultline\\..*'}", Map.of());

        // enriched, aggregates, alerts, dlq and the catalog topic
        assertThat(r.errors()).hasSize(5).allMatch(e -> e.contains("matches the output topic"));
    }

    @Test
    void shouldRejectACatalogTopicThatIsAlsoAnInputOrAnOutput() {
        assertThat(FaultlineConfig.parse("topics: {catalog: logs}", Map.of()).errors())
                .containsExactly("topics.input: contains the output topic 'logs' (topics.catalog)");
        assertThat(FaultlineConfig.parse("topics: {catalog: faultline.enriched}", Map.of()).errors())
                .containsExactly("topics.catalog: same topic as topics.enriched ('faultline.enriched')");
    }

    @Test
    void shouldRejectAnEnvironmentVariableThatNamesNoKafkaSetting() {
        ConfigResult r = FaultlineConfig.parse("", Map.of("FAULTLINE_KAFKA_", "x"));

        assertThat(r.errors()).containsExactly("environment FAULTLINE_KAFKA_: names no Kafka setting");
    }

    @Test
    void shouldRejectAnEmptyInputPattern() {
        ConfigResult r = FaultlineConfig.parse("", Map.of("FAULTLINE_TOPICS_INPUT_PATTERN", ""));

        assertThat(r.errors()).singleElement().asString().contains("topics.input.pattern: must not be empty");
    }

    @Test
    void shouldReportDurationsTooShortOrTooLongForMillisecondArithmeticNotThrow() {
        ConfigResult r = FaultlineConfig.parse("""
                windows: {sizes: [999999999999d], grace: 999999999999d}
                alerts: {window: PT0.0001S}
                event-time: {max-future-skew: 4000d}
                """, Map.of());

        assertThat(r.errors()).hasSize(4);
        assertThat(String.join("\n", r.errors()))
                .contains("windows.sizes: window sizes must be at most 3650d")
                .contains("windows.grace: must be at most 3650d")
                .contains("alerts.window: must be at least 1ms")
                .contains("event-time.max-future-skew: must be at most 30m");
    }

    @Test
    void shouldReportAFiringTtlNotAboveTheRepeatIntervalWithTheOtherErrors() {
        ConfigResult r = FaultlineConfig.parse("""
                ops: {port: 70000}
                alerts:
                  webhook: {url: 'http://hooks.example/x'}
                  repeat-interval: 5m
                  sink: {firing-ttl: 1m}
                """, Map.of());

        assertThat(r.errors()).hasSize(2);
        assertThat(r.errors().get(1)).isEqualTo("alerts.sink.firing-ttl: must exceed alerts.repeat-interval + "
                + "alerts.window + alerts.resolve-hold-down (1m is not above 8m)");
        // A long window needs a longer TTL: sends of one firing alert may be a repeat interval plus a window apart.
        assertThat(FaultlineConfig.parse("alerts: {webhook: {url: 'http://h/x'}, window: 30m}", Map.of()).errors())
                .containsExactly("alerts.sink.firing-ttl: must exceed alerts.repeat-interval + alerts.window + "
                        + "alerts.resolve-hold-down (20m is not above 37m)");
    }

    @Test
    void shouldReportAMissingConfigFile(@TempDir Path dir) {
        ConfigResult r = FaultlineConfig.load(dir.resolve("absent.yaml"), Map.of());

        assertThat(r.errors()).singleElement().asString().contains("absent.yaml").contains("cannot read");
    }

    @Test
    void shouldParseDurationsInShortAndIsoForms() {
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("PT30S")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parseSize("1MiB")).isEqualTo(1024 * 1024);
        assertThatThrownBy(() -> Durations.parse("1 fortnight")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldLoadTheShippedConfigFileWithoutErrors() {
        Path shipped = shippedConfig();

        ConfigResult r = FaultlineConfig.load(shipped, Map.of());

        assertThat(r.errors()).isEmpty();
        // The shipped file documents the defaults: loading it must change nothing.
        FaultlineConfig defaults = FaultlineConfig.defaults();
        for (ConfigKey<?> key : FaultlineKeys.ALL) {
            assertThat((Object) r.orThrow().get(key)).as(key.name()).isEqualTo(defaults.get(key));
        }
        assertThat(r.orThrow().streamsProperties()).isEqualTo(defaults.streamsProperties());
    }

    @Test
    void shouldDocumentEveryDeclaredKeyInTheShippedConfigFile() throws Exception {
        String text = Files.readString(shippedConfig());
        // Collect leaf names as written (nested sections joined with dots), commented-out ones included.
        Set<String> documented = new HashSet<>();
        String[] stack = new String[10];
        Matcher m = Pattern.compile("(?m)^( *)(?:# ?)?([a-z][a-z0-9.-]*):").matcher(text);
        while (m.find()) {
            int depth = m.group(1).length() / 2;
            stack[depth] = m.group(2);
            documented.add(String.join(".", java.util.Arrays.asList(stack).subList(0, depth + 1)));
        }
        for (ConfigKey<?> key : FaultlineKeys.ALL) {
            assertThat(documented).as("config/faultline.yaml documents " + key.name()).contains(key.name());
        }
    }

    private static Path shippedConfig() {
        Path p = Path.of("config/faultline.yaml");
        return Files.exists(p) ? p : Path.of("../config/faultline.yaml");
    }

    @Test
    void shouldReportAnAbsurdlyNegativeWindowSizeAsAConfigErrorNotThrow() {
        ConfigResult file = FaultlineConfig.parse("windows:\n  sizes: [\"P-999999999999D\"]\nalerts: {min-cout: 3}\n",
                Map.of());
        assertThat(file.isValid()).isFalse();
        assertThat(file.errors()).anyMatch(e -> e.contains("windows.sizes")).anyMatch(e -> e.contains("alerts.min-cout"));

        ConfigResult env = FaultlineConfig.parse("", Map.of("FAULTLINE_WINDOWS_SIZES", "-P999999999999D"));
        assertThat(env.errors()).anyMatch(e -> e.contains("windows.sizes"));
    }

    @Test
    void shouldRejectAnAlertReceiverUrlWithAPortOutOfRange() {
        ConfigResult result = FaultlineConfig.parse("""
                alerts:
                  webhook: {url: "http://hooks.example:99999/faultline"}
                  alertmanager: {urls: ["http://am.example:70000", "http://am2.example:0"]}
                """, Map.of());
        assertThat(result.isValid()).isFalse();
        assertThat(result.errors()).anyMatch(e -> e.contains("alerts.webhook.url") && e.contains("port"))
                .anyMatch(e -> e.contains("alerts.alertmanager.urls") && e.contains("port"));
        assertThat(FaultlineConfig.parse("alerts: {webhook: {url: \"https://hooks.example:8443/x\"}}\n", Map.of())
                .isValid()).isTrue();
        for (String pair : List.of("\"http://am:9093\", \" http://am:9093/\"",
                "\"http://am.example:9093/\", \"http://am.example:9093/api/v2/alerts\"",
                "\"http://am.example:9093\", \"HTTP://AM.EXAMPLE:9093\"")) {
            assertThat(FaultlineConfig.parse("alerts: {alertmanager: {urls: [" + pair + "]}}\n", Map.of()).errors())
                    .as(pair).anyMatch(e -> e.contains("URLs must be distinct"));
        }
        assertThat(FaultlineConfig.parse("alerts: {alertmanager: {urls: [\"http://am-1:9093\", \"http://am-2:9093\"]}}\n",
                Map.of()).isValid()).isTrue();
        assertThat(FaultlineConfig.parse("alerts: {alertmanager: {urls: [\"http://am-1:9093\", \"not a url\"]}}\n",
                Map.of()).errors()).anyMatch(e -> e.contains("alerts.alertmanager.urls") && !e.contains("invalid value ("));
    }

    @Test
    void shouldReportEveryKafkaSettingTheClientsWouldRefuseWithTheOtherErrors() {
        ConfigResult result = FaultlineConfig.parse("""
                kafka:
                  commit.interval.ms: soon
                  producer.batch.size: big
                  main.consumer.max.poll.records: many
                  compression.type: zip
                  linger.ms: 5
                  my.interceptor.option: anything
                windows: {grace: soon}
                """, Map.of());

        assertThat(result.isValid()).isFalse();
        assertThat(result.errors()).hasSize(5)
                .anyMatch(e -> e.contains("kafka.commit.interval.ms") && e.contains("soon"))
                .anyMatch(e -> e.contains("kafka.producer.batch.size"))
                .anyMatch(e -> e.contains("kafka.main.consumer.max.poll.records"))
                .anyMatch(e -> e.contains("kafka.compression.type"))
                .anyMatch(e -> e.contains("windows.grace"));
        assertThat(FaultlineConfig.parse("kafka: {linger.ms: 5, producer.acks: all, my.interceptor.option: x}\n",
                Map.of()).isValid()).isTrue();
        // Kafka Streams' own value for a name the consumer defines otherwise; a config provider's reference.
        assertThat(FaultlineConfig.parse("kafka: {group.protocol: streams}\n", Map.of()).errors()).isEmpty();
        assertThat(FaultlineConfig.parse("""
                kafka:
                  config.providers: file
                  config.providers.file.class: org.apache.kafka.common.config.provider.FileConfigProvider
                  commit.interval.ms: "${file:/etc/faultline/kafka.properties:commit}"
                  security.protocol: "${file:/etc/faultline/kafka.properties:protocol}"
                """, Map.of()).errors()).isEmpty();
    }

    @Test
    void shouldIgnoreTheVariablesKubernetesSetsForServicesNamedFaultline() {
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "FAULTLINE_SERVICE_HOST", "10.96.0.12",
                "FAULTLINE_SERVICE_PORT", "9400",
                "FAULTLINE_SERVICE_PORT_OPS", "9400",
                "FAULTLINE_PORT", "tcp://10.96.0.12:9400",
                "FAULTLINE_PORT_9400_TCP", "tcp://10.96.0.12:9400",
                "FAULTLINE_PORT_9400_TCP_PROTO", "tcp",
                "FAULTLINE_PORT_9400_TCP_PORT", "9400",
                "FAULTLINE_PORT_9400_TCP_ADDR", "10.96.0.12"));
        // A Service named faultline-ops: its *_PORT lands on a real key, with a value no port has.
        env.put("FAULTLINE_OPS_SERVICE_HOST", "10.96.0.13");
        env.put("FAULTLINE_OPS_PORT", "tcp://10.96.0.13:9400");
        env.put("FAULTLINE_KAFKA_SERVICE_HOST", "10.96.0.14");

        ConfigResult result = FaultlineConfig.parse("", env);

        assertThat(result.errors()).isEmpty();
        assertThat(result.orThrow().get(FaultlineKeys.OPS_PORT)).isEqualTo(FaultlineKeys.OPS_PORT.defaultValue());
        assertThat(result.orThrow().kafkaProperties()).doesNotContainKey("service.host");
        assertThat(FaultlineConfig.parse("", Map.of("FAULTLINE_OPS_PORT", "9500")).orThrow().get(FaultlineKeys.OPS_PORT))
                .isEqualTo(9500);
        assertThat(FaultlineConfig.parse("", Map.of("FAULTLINE_OPS_PORTS", "9500")).errors())
                .anyMatch(e -> e.contains("unknown key"));
    }
}
