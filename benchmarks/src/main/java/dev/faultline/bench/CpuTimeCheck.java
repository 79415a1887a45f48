package dev.faultline.bench;

import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.catalog.enrich.EnricherConfig;
import dev.faultline.catalog.enrich.SourceRef;
import dev.faultline.catalog.event.EventParser;
import dev.faultline.catalog.event.LogEvent;
import dev.faultline.catalog.event.ParseResult;
import dev.faultline.catalog.load.CatalogLoader;
import dev.faultline.catalog.match.Matcher;
import dev.faultline.catalog.model.CatalogSet;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;

/**
 * A cross-check of {@link MatcherBenchmark} for a shared, noisy machine: the same four loops, run
 * interleaved in rounds (so load changes hit all of them alike), each timed by the thread's own
 * CPU time ({@link ThreadMXBean#getCurrentThreadCpuTime()}) as well as wall time. CPU time does not
 * count the time another process held the core, so lines per CPU-second is what the code costs;
 * the ratio of wall to CPU time says how contended the run was. Not a JMH benchmark: no
 * Blackhole (results are folded into a checksum), a plain JIT warm-up; use it to read JMH's figures,
 * not to replace them.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.faultline.bench.CpuTimeCheck [rounds] [warmupRounds]
 * [--by-kind]}; {@code --by-kind} adds the three pipeline loops over each {@link Corpus.Kind}'s lines alone.
 */
public final class CpuTimeCheck {

    private CpuTimeCheck() {
    }

    /** A loop over {@code lines} lines per call, run {@code passes} times per sample. */
    private record Loop(IntSupplier body, int lines, int passes) {
    }

    public static void main(String[] args) {
        List<String> positional = new ArrayList<>(List.of(args));
        boolean byKind = positional.remove("--by-kind");
        int rounds = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 15;
        int warmup = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 10;
        CatalogSet set = new CatalogLoader().loadBundled().orThrow();
        Corpus corpus = Corpus.generate(set, Corpus.DEFAULT_SIZE, Corpus.DEFAULT_SEED);
        byte[][] lines = corpus.lines();
        Enricher enricher = Enricher.create(set, EnricherConfig.defaults());
        EventParser parser = new EventParser(enricher.config().parse());
        Matcher matcher = enricher.matcher();
        RegexBaseline regex = RegexBaseline.of(set);
        Pattern pattern = regex.pattern();
        SourceRef source = SourceRef.kafka("logs.raw", 0, 0L);

        Map<String, Loop> loops = new LinkedHashMap<>();
        pipelineLoops(loops, "", lines, enricher, parser, matcher, source, lines.length);
        loops.put("regexBaseline", new Loop(() -> {
            int h = 0;
            for (byte[] line : lines) {
                java.util.regex.Matcher m = pattern.matcher(new String(line, StandardCharsets.UTF_8));
                while (m.find()) {
                    List<?> hit = regex.lookup(m.group());
                    h += hit == null ? 0 : hit.size();
                }
            }
            return h;
        }, lines.length, 1));
        if (byKind) {
            // Each kind's lines alone: what a line of that shape costs, so work can go where the time is.
            for (Corpus.Kind kind : Corpus.Kind.values()) {
                List<byte[]> of = new ArrayList<>();
                for (int i = 0; i < corpus.size(); i++) {
                    if (corpus.kind(i) == kind) {
                        of.add(lines[i]);
                    }
                }
                pipelineLoops(loops, "/" + kind, of.toArray(new byte[0][]), enricher, parser, matcher, source,
                        lines.length);
            }
        }

        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, List<double[]>> samples = new LinkedHashMap<>();
        loops.keySet().forEach(k -> samples.put(k, new ArrayList<>()));
        long sink = 0;
        List<String> names = new ArrayList<>(loops.keySet());
        for (int r = 0; r < warmup + rounds; r++) {
            for (int k = 0; k < names.size(); k++) {
                String name = names.get((k + r) % names.size()); // rotate the order every round
                Loop loop = loops.get(name);
                long cpu0 = mx.getCurrentThreadCpuTime();
                long wall0 = System.nanoTime();
                for (int p = 0; p < loop.passes(); p++) {
                    sink += loop.body().getAsInt();
                }
                long cpu = mx.getCurrentThreadCpuTime() - cpu0;
                long wall = System.nanoTime() - wall0;
                if (r >= warmup) {
                    double n = (double) loop.passes() * loop.lines();
                    samples.get(name).add(new double[] {n / (cpu / 1e9), n / (wall / 1e9)});
                }
            }
        }
        System.out.printf("%d rounds after %d warm-up rounds, interleaved; median and min–max%n", rounds, warmup);
        System.out.printf("%-24s %14s %25s %14s %9s %9s%n", "loop", "lines/CPU-s", "(min – max)", "lines/wall-s",
                "wall/CPU", "ns/line");
        Map<String, Double> cpuMedian = new LinkedHashMap<>();
        for (Map.Entry<String, List<double[]>> e : samples.entrySet()) {
            double[] cpu = e.getValue().stream().mapToDouble(s -> s[0]).sorted().toArray();
            double[] wall = e.getValue().stream().mapToDouble(s -> s[1]).sorted().toArray();
            double c = median(cpu);
            double w = median(wall);
            cpuMedian.put(e.getKey(), c);
            System.out.printf("%-24s %,14.0f %,12.0f – %,10.0f %,14.0f %9.2f %9.0f%n", e.getKey(), c, cpu[0],
                    cpu[cpu.length - 1], w, c / w, 1e9 / c);
        }
        System.out.printf("faultline / regexBaseline (CPU time): %.1f×%n",
                cpuMedian.get("faultline") / cpuMedian.get("regexBaseline"));
        System.out.println("(checksum " + sink + ")");
    }

    /**
     * The three pipeline loops over {@code lines}, named {@code faultline}, {@code parseOnly} and {@code matchOnly}
     * plus {@code suffix}; as many passes per sample as make about {@code corpusLines} × 20 lines (~0.3 s of CPU).
     */
    private static void pipelineLoops(Map<String, Loop> loops, String suffix, byte[][] lines, Enricher enricher,
            EventParser parser, Matcher matcher, SourceRef source, int corpusLines) {
        LogEvent[] events = new LogEvent[lines.length];
        for (int i = 0; i < lines.length; i++) {
            events[i] = ((ParseResult.Events) parser.parse(lines[i])).events().get(0);
        }
        int passes = Math.max(1, 20 * corpusLines / lines.length);
        loops.put("faultline" + suffix, new Loop(() -> {
            int h = 0;
            for (byte[] line : lines) {
                h += System.identityHashCode(enricher.process(line, source, null)) & 1;
            }
            return h;
        }, lines.length, passes));
        loops.put("parseOnly" + suffix, new Loop(() -> {
            int h = 0;
            for (byte[] line : lines) {
                h += System.identityHashCode(parser.parse(line)) & 1;
            }
            return h;
        }, lines.length, passes));
        loops.put("matchOnly" + suffix, new Loop(() -> {
            int h = 0;
            for (LogEvent e : events) {
                h += matcher.match(e).errors().size();
            }
            return h;
        }, lines.length, passes));
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
