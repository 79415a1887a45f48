package dev.faultline.cli;

import dev.faultline.catalog.load.LoadResult;
import dev.faultline.config.Durations;
import dev.faultline.generator.GeneratorProfile;
import dev.faultline.generator.LogGenerator;
import dev.faultline.generator.ProducerLoop;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code faultline generate}: produces realistic logs of the five seed systems into any Kafka
 * cluster, with an optional spike of one transient code, until Ctrl-C or {@code --duration}.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Produce a realistic log workload (all seed systems, all formats, ~10%% errors, an optional spike) into Kafka.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:produced everything", "1:sends failed", "2:invalid usage or catalogs"})
public final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]",
            description = "Kafka brokers to produce to.")
    String bootstrapServers;

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = GeneratorProfile.DEFAULT_TOPIC,
            description = "Destination topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "50",
            description = "Normal records per second (default: ${DEFAULT-VALUE}); the spike adds to it.")
    double rate;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long (e.g. 5m); default: run until interrupted.")
    Duration duration;

    @Option(names = "--error-ratio", paramLabel = "R", defaultValue = "0.10",
            description = "Share of events carrying an error code (default: ${DEFAULT-VALUE}).")
    double errorRatio;

    @Option(names = "--bad-ratio", paramLabel = "R", defaultValue = "0",
            description = "Share of deliberately unreadable records: invalid UTF-8, truncated JSON (default: ${DEFAULT-VALUE}).")
    double badRatio;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    SpikeOptions spike;

    @Option(names = "--producer-config", paramLabel = "FILE",
            description = "Kafka producer properties (security, compression, ...) applied over the defaults.")
    Path producerConfig;

    @Mixin
    CatalogOptions catalogOptions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoadResult loaded = CatalogOptions.load(catalogOptions.catalogDirs, err);
        if (!loaded.isValid()) {
            return 2;
        }
        Map<String, Object> config;
        GeneratorProfile profile;
        LogGenerator generator;
        try {
            config = producerConfig(bootstrapServers, producerConfig);
            profile = new GeneratorProfile(topic, rate, errorRatio, badRatio, spike.toSpike());
            generator = new LogGenerator(loaded.orThrow(), seed, profile);
        } catch (IllegalArgumentException | IOException e) {
            err.println("faultline generate: " + e.getMessage());
            return 2;
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            ProducerLoop loop = new ProducerLoop(producer, generator, Clock.systemUTC(), duration);
            Thread worker = new Thread(loop, "faultline-generator");
            Thread hook = new Thread(loop::stop, "faultline-generator-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            out.printf("generating into %s at %s (%.0f records/s, %s)%n", topic, bootstrapServers, rate,
                    profile.spike() == null ? "no spike" : spike.describe());
            out.flush();
            worker.start();
            long lastReport = 0;
            while (!loop.awaitStopped(Duration.ofSeconds(5))) {
                if (loop.records() != lastReport) {
                    lastReport = loop.records();
                    out.printf("produced %d records (%d error events, %d spike, %d bad, %d failed)%n", loop.records(),
                            loop.errorEvents(), loop.spikeRecords(), loop.badRecords(), loop.sendFailures());
                    out.flush();
                }
            }
            worker.join();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Already in shutdown: the hook has run.
            }
            out.printf("done: %d records (%d error events, %d spike, %d bad), %d send failures%n", loop.records(),
                    loop.errorEvents(), loop.spikeRecords(), loop.badRecords(), loop.sendFailures());
            out.flush();
            return loop.sendFailures() == 0 && loop.lastFailure() == null ? 0 : 1;
        }
    }

    /** Producer defaults for the workload (idempotent, acks=all, small linger), then the user's file over them. */
    static Map<String, Object> producerConfig(String bootstrapServers, Path file) throws IOException {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "faultline-generator");
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            for (String name : p.stringPropertyNames()) {
                config.put(name, p.getProperty(name));
            }
        }
        // Records are bytes as written; serializers are not the user's to change.
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return config;
    }

    /** Picocli converter for {@code 500ms}, {@code 30s}, {@code 5m}, {@code PT1M}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** The spike options {@code generate} and {@code demo} share. */
    static final class SpikeOptions {
        @Option(names = "--spike-after", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
                description = "Start the spike this long after the start (default: ${DEFAULT-VALUE}).")
        Duration after;

        @Option(names = "--spike-duration", paramLabel = "DURATION", defaultValue = "60s",
                converter = DurationConverter.class, description = "How long the spike lasts (default: ${DEFAULT-VALUE}).")
        Duration length;

        @Option(names = "--spike-rate", paramLabel = "N", defaultValue = "40",
                description = "Spike records per second on top of the normal rate (default: ${DEFAULT-VALUE}).")
        double rate;

        @Option(names = "--spike-code", paramLabel = "CATALOG:CODE", defaultValue = "foundry-mcp:RATE_LIMIT_EXCEEDED",
                description = "The transient code to spike (default: ${DEFAULT-VALUE}), e.g. nefia:VPN_NOT_READY.")
        String code;

        @Option(names = "--spike-service", paramLabel = "NAME",
                description = "Service the spike comes from (default: the code's system's first service).")
        String service;

        @Option(names = "--no-spike", description = "No spike: steady traffic only.")
        boolean none;

        GeneratorProfile.Spike toSpike() {
            if (none) {
                return null;
            }
            int colon = code.indexOf(':');
            if (colon <= 0 || colon == code.length() - 1) {
                throw new IllegalArgumentException("--spike-code must be CATALOG:CODE, was '" + code + "'");
            }
            String catalog = code.substring(0, colon);
            String svc = service != null ? service
                    : dev.faultline.generator.SeedSystem.byCatalog(catalog)
                            .map(s -> s.services().get(0))
                            .orElseThrow(() -> new IllegalArgumentException(
                                    "--spike-service is required for catalog " + catalog));
            return new GeneratorProfile.Spike(after, length, rate, catalog, code.substring(colon + 1), svc);
        }

        String describe() {
            return "spike of " + code + " at " + Durations.format(after) + " for " + Durations.format(length);
        }
    }
}
