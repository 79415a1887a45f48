package dev.faultline.cli;

import dev.faultline.catalog.load.CatalogLoader;
import dev.faultline.catalog.load.CatalogSource;
import dev.faultline.catalog.load.CatalogValidationException;
import dev.faultline.catalog.load.LoadResult;
import dev.faultline.catalog.load.Problem;
import dev.faultline.catalogs.CatalogDocument;
import dev.faultline.catalogs.CatalogTopic;
import dev.faultline.catalogs.LiveCatalogs;
import dev.faultline.config.ConfigResult;
import dev.faultline.config.FaultlineConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code faultline catalog}: catalogs on the catalog topic, which running instances apply without a restart. */
@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = "Publish catalogs to the catalog topic; running instances apply them without a restart.",
        subcommands = {CatalogCommand.Publish.class, CommandLine.HelpCommand.class})
public final class CatalogCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code faultline catalog publish DIR}. */
    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = {"Validate every catalog file of DIR (*.yaml, *.yml, *.json) over the bundled catalogs and "
                    + "the config's catalog.dirs, exactly as running instances will, and publish one record per file "
                    + "to topics.catalog (key: the catalog id; created compacted if missing).",
                    "Nothing is published unless every file validates; every problem is printed."},
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:published (or valid, with --dry-run)",
                    "1:Kafka failed (topic check, create or produce)",
                    "2:bad usage, invalid configuration or catalogs (nothing published)"})
    static final class Publish implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "Directory of catalog files to publish.")
        Path dir;

        @Option(names = "--config", paramLabel = "FILE",
                description = "YAML configuration (default: $FAULTLINE_CONFIG, else built-in defaults).")
        Path config;

        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
                description = "Kafka brokers (overrides kafka.bootstrap.servers).")
        String bootstrapServers;

        @Option(names = "--dry-run", description = "Validate only; publish nothing and contact no broker.")
        boolean dryRun;

        /** Overridable for tests; the process environment otherwise. */
        Map<String, String> env = System.getenv();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                return publish(out, err);
            } finally {
                out.flush();
                err.flush();
            }
        }

        private int publish(PrintWriter out, PrintWriter err) {
            Map<String, String> environment = new HashMap<>(env);
            if (bootstrapServers != null) {
                environment.put("FAULTLINE_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
            }
            Path file = config;
            if (file == null && env.get("FAULTLINE_CONFIG") != null && !env.get("FAULTLINE_CONFIG").isBlank()) {
                file = Path.of(env.get("FAULTLINE_CONFIG"));
            }
            ConfigResult loaded = FaultlineConfig.load(file, environment);
            if (!loaded.isValid()) {
                err.println("faultline: invalid configuration (" + loaded.errors().size() + " error(s)):");
                loaded.errors().forEach(e -> err.println("  " + Sanitize.forTerminal(e)));
                return 2;
            }
            FaultlineConfig cfg = loaded.orThrow();
            String topic = CatalogTopic.name(cfg);

            List<Problem> problems = new ArrayList<>();
            List<CatalogDocument> docs = readDocuments(problems);
            if (docs.isEmpty() && problems.isEmpty()) {
                err.println("faultline: no catalog files (*.yaml, *.yml, *.json) in " + Sanitize.forTerminal(
                        dir.toString()) + "; nothing to publish");
                return 2;
            }
            List<CatalogSource> base;
            try {
                base = LiveCatalogs.baseSources(cfg.catalogDirs());
            } catch (CatalogValidationException e) {
                problems.addAll(e.problems());
                base = CatalogLoader.bundledSources(); // still report every problem of DIR's files
            }
            LoadResult result = LiveCatalogs.validate(base, docs, topic);
            problems.addAll(result.problems());
            if (!problems.isEmpty()) {
                err.println("faultline: not published: the catalogs do not validate (" + problems.size()
                        + " problem(s)):");
                for (Problem p : problems) {
                    err.println("  " + Sanitize.forTerminal(p.toString()));
                }
                return 2;
            }
            for (CatalogDocument d : docs) {
                out.println("  " + Sanitize.forTerminal(d.key() + "@" + d.version()) + "  <- "
                        + Sanitize.forTerminal(d.file()) + "  sha256 " + d.sha256().substring(0, 12));
            }
            if (dryRun) {
                out.println("faultline: " + docs.size() + " catalog(s) valid; nothing published (--dry-run)");
                return 0;
            }
            return produce(cfg, topic, docs, out, err);
        }

        /** One document per catalog file, keyed by the id it declares; problems for what cannot be read. */
        private List<CatalogDocument> readDocuments(List<Problem> problems) {
            List<CatalogDocument> docs = new ArrayList<>();
            if (!Files.isDirectory(dir)) {
                problems.add(new Problem(dir.toString(), null, null, "not a directory"));
                return docs;
            }
            Map<String, String> fileOfKey = new LinkedHashMap<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> Files.isRegularFile(p)).sorted().toList()) {
                    String name = f.getFileName().toString();
                    if (!(name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"))) {
                        continue;
                    }
                    long size = Files.size(f);
                    if (size > CatalogTopic.MAX_DOCUMENT_BYTES) {
                        problems.add(new Problem(name, null, null, "file is " + size + " bytes; the limit on the "
                                + "catalog topic is " + CatalogTopic.MAX_DOCUMENT_BYTES));
                        continue;
                    }
                    CatalogDocument d = CatalogDocument.fromFile(name, Files.readAllBytes(f));
                    String other = fileOfKey.putIfAbsent(d.key(), name);
                    if (other != null) {
                        problems.add(new Problem(name, null, "id", "catalog id '" + d.key() + "' is also declared by "
                                + other + "; publish one file per catalog id"));
                        continue;
                    }
                    docs.add(d);
                }
            } catch (IOException e) {
                problems.add(new Problem(dir.toString(), null, null, "cannot read: " + e.getMessage()));
            }
            return docs;
        }

        private static int produce(FaultlineConfig cfg, String topic, List<CatalogDocument> docs, PrintWriter out,
                PrintWriter err) {
            try {
                Optional<String> warning = CatalogTopic.ensure(cfg);
                warning.ifPresent(w -> err.println("faultline: warning: " + Sanitize.forTerminal(w)));
            } catch (CatalogTopic.KafkaAdminException e) {
                err.println("faultline: " + Sanitize.forTerminal(e.getMessage()));
                return 1;
            }
            String publisher = CatalogTopic.publisher();
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(CatalogTopic.producerConfig(cfg))) {
                for (CatalogDocument d : docs) {
                    sent.add(producer.send(new ProducerRecord<>(topic, null, d.key(), d.content(),
                            CatalogTopic.headers(d, publisher))));
                }
                producer.flush();
                for (int i = 0; i < docs.size(); i++) {
                    RecordMetadata md = sent.get(i).get(2, TimeUnit.MINUTES);
                    out.println("faultline: published " + docs.get(i).key() + " to " + topic + " (partition "
                            + md.partition() + ", offset " + md.offset() + ")");
                }
                return 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                err.println("faultline: interrupted while publishing");
                return 1;
            } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                err.println("faultline: publishing to " + topic + " failed: " + Sanitize.forTerminal(
                        String.valueOf(cause.getMessage())));
                return 1;
            }
        }
    }
}
