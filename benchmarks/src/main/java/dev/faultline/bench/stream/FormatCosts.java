package dev.faultline.bench.stream;

import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.catalog.enrich.SourceRef;
import dev.faultline.catalog.load.CatalogLoader;
import dev.faultline.catalog.model.CatalogSet;
import dev.faultline.config.FaultlineConfig;
import dev.faultline.generator.GeneratedRecord;
import dev.faultline.generator.GeneratorProfile;
import dev.faultline.generator.LogGenerator;
import dev.faultline.generator.WireFormat;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What parse + match + enrichment ({@link Enricher#process}) costs per record of each wire format of the stream
 * harness's workload (the generator at a 10% error ratio), by thread CPU time, the formats interleaved in rounds.
 * It says where the enrich step's time goes in the harness, whose records are not the JMH corpus's: OTLP batches,
 * for one, are absent from the corpus.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.faultline.bench.stream.FormatCosts [records] [rounds]}
 */
public final class FormatCosts {

    private FormatCosts() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 40_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int warmup = Math.max(1, rounds / 3);
        CatalogSet catalogs = new CatalogLoader().loadBundled().orThrow();
        Enricher enricher = Enricher.create(catalogs, FaultlineConfig.defaults().enricherConfig());
        LogGenerator gen = new LogGenerator(catalogs, 20261121L,
                GeneratorProfile.defaults().withErrorRatio(0.10).withBadRatio(0.0));
        Map<WireFormat, List<GeneratedRecord>> byFormat = new EnumMap<>(WireFormat.class);
        Instant t0 = Instant.parse("2026-11-21T10:00:00Z");
        for (int i = 0; i < n; i++) {
            GeneratedRecord r = gen.next(t0.plusMillis(i));
            byFormat.computeIfAbsent(r.format(), f -> new ArrayList<>()).add(r);
        }
        SourceRef source = SourceRef.kafka("logs", 0, 0L);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<WireFormat, List<Double>> nsPerRecord = new EnumMap<>(WireFormat.class);
        long sink = 0;
        for (int round = 0; round < warmup + rounds; round++) {
            for (Map.Entry<WireFormat, List<GeneratedRecord>> e : byFormat.entrySet()) {
                List<GeneratedRecord> records = e.getValue();
                int passes = Math.max(1, 100_000 / records.size());
                long cpu0 = mx.getCurrentThreadCpuTime();
                for (int p = 0; p < passes; p++) {
                    for (GeneratedRecord r : records) {
                        sink += System.identityHashCode(enricher.process(r.value(), source, null)) & 1;
                    }
                }
                long cpu = mx.getCurrentThreadCpuTime() - cpu0;
                if (round >= warmup) {
                    nsPerRecord.computeIfAbsent(e.getKey(), f -> new ArrayList<>())
                            .add(cpu / (double) (passes * records.size()));
                }
            }
        }
        System.out.printf(Locale.ROOT, "%,d generated records, %d rounds after %d warm-up, thread CPU, medians%n", n,
                rounds, warmup);
        System.out.printf(Locale.ROOT, "%-18s %7s %8s %11s %13s %12s %14s%n", "format", "share", "B/record",
                "events/rec", "ns/record", "ns/event", "ns/avg-record");
        double total = 0;
        for (Map.Entry<WireFormat, List<Double>> e : nsPerRecord.entrySet()) {
            List<GeneratedRecord> records = byFormat.get(e.getKey());
            double share = records.size() / (double) n;
            double bytes = records.stream().mapToInt(r -> r.value().length).average().orElse(0);
            double events = records.stream().mapToInt(GeneratedRecord::events).average().orElse(0);
            double ns = median(e.getValue());
            total += share * ns;
            System.out.printf(Locale.ROOT, "%-18s %6.1f%% %8.0f %11.2f %13.0f %12.0f %14.0f%n", e.getKey(),
                    100 * share, bytes, events, ns, ns / Math.max(events, 1e-9), share * ns);
        }
        System.out.printf(Locale.ROOT, "weighted: %.0f ns per record of the mix (checksum %d)%n", total, sink);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int k = sorted.size();
        return k % 2 == 1 ? sorted.get(k / 2) : (sorted.get(k / 2 - 1) + sorted.get(k / 2)) / 2;
    }
}
