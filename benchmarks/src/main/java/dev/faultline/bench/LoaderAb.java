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
import dev.faultline.generator.GeneratedRecord;
import dev.faultline.generator.GeneratorProfile;
import dev.faultline.generator.LogGenerator;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.LongUnaryOperator;

/**
 * An A/B of two builds of the catalog library in one JVM, for changes smaller than this machine's noise: each
 * build's jar gets its own class loader (over this benchmarks jar, for the corpus and the libraries), the two
 * loops run alternately, one round each in turn, timed by the thread's CPU time, and what is reported is the
 * median of the per-round ratios B/A with its quartiles. A load change during the run hits both sides of a round
 * alike; separate JVMs run minutes apart do not share it. The two sides are not quite equal: with the same jar on
 * both, the second has come out up to ~10% slower (which code the JIT compiles first). So run every comparison in
 * both orders, each in its own JVM, and report both.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.faultline.bench.LoaderAb A.jar B.jar
 * [process|parse|match] [ALL|kind] [rounds] [seconds per round]}, where the jars are catalog jars
 * ({@code catalog/target/faultline-catalog-*.jar} of the two builds) and kind is a {@link Corpus.Kind}, or
 * {@code wire:FORMAT} for the stream harness's generated records of one {@code WireFormat} ({@code wire:ALL}: all).
 */
public final class LoaderAb {

    private LoaderAb() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: LoaderAb A.jar B.jar [process|parse|match] [ALL|kind] [rounds] [seconds]");
            System.exit(2);
        }
        String loop = args.length > 2 ? args[2] : "process";
        String kind = args.length > 3 ? args[3] : "ALL";
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 15;
        double seconds = args.length > 5 ? Double.parseDouble(args[5]) : 1.5;
        URL self = LoaderAb.class.getProtectionDomain().getCodeSource().getLocation();
        LongUnaryOperator[] sides = new LongUnaryOperator[2];
        int lines = 0;
        for (int i = 0; i < 2; i++) {
            Path jar = Path.of(args[i]);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException("no such jar: " + jar);
            }
            // The catalog jar first, so its classes win over the copies shaded into this jar; the platform loader
            // as parent, so nothing of the catalog comes from the application class path.
            ClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL(), self},
                    ClassLoader.getPlatformClassLoader());
            Object side = loader.loadClass(Side.class.getName()).getConstructor(String.class, String.class)
                    .newInstance(loop, kind);
            sides[i] = (LongUnaryOperator) side;
            lines = (int) side.getClass().getMethod("lines").invoke(side);
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sink = 0;
        // Warm both up and size a round to about `seconds` per side.
        long reps = 1;
        while (true) {
            long t0 = System.nanoTime();
            sink += sides[0].applyAsLong(reps) + sides[1].applyAsLong(reps);
            if (System.nanoTime() - t0 > 2 * seconds * 1e9) {
                break;
            }
            reps *= 2;
        }
        List<Double> a = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < rounds + 2; r++) {
            double[] ns = new double[2];
            for (int j = 0; j < 2; j++) {
                int i = (r + j) % 2; // who goes first alternates
                long c0 = mx.getCurrentThreadCpuTime();
                sink += sides[i].applyAsLong(reps);
                ns[i] = (mx.getCurrentThreadCpuTime() - c0) / (double) (reps * lines);
            }
            if (r >= 2) { // two more warm-up rounds
                a.add(ns[0]);
                b.add(ns[1]);
                ratios.add(ns[1] / ns[0]);
            }
        }
        Collections.sort(a);
        Collections.sort(b);
        Collections.sort(ratios);
        System.out.printf(Locale.ROOT, "%s %s, %d lines, %d rounds: A median %.0f ns/line, B median %.0f ns/line;"
                + " B/A per round: median %.3f, quartiles %.3f .. %.3f (checksum %d)%n", loop, kind, lines, rounds,
                median(a), median(b), median(ratios), ratios.get(ratios.size() / 4),
                ratios.get(ratios.size() * 3 / 4), sink & 1);
    }

    private static double median(List<Double> sorted) {
        return sorted.get(sorted.size() / 2);
    }

    /** One build's loop, instantiated in that build's class loader; public for the reflective constructor call. */
    public static final class Side implements LongUnaryOperator {
        /** A kind of {@code wire:FORMAT} (a {@code WireFormat}, or ALL) takes the stream harness's records instead. */
        private static final String WIRE = "wire:";
        private static final SourceRef SOURCE = SourceRef.kafka("logs.raw", 0, 0L);
        private final String loop;
        private final byte[][] lines;
        private final LogEvent[] events;
        private final Enricher enricher;
        private final EventParser parser;
        private final Matcher matcher;

        public Side(String loop, String kind) {
            CatalogSet set = new CatalogLoader().loadBundled().orThrow();
            List<byte[]> picked = kind.startsWith(WIRE) ? generated(set, kind.substring(WIRE.length()))
                    : corpus(set, kind);
            if (picked.isEmpty()) {
                throw new IllegalArgumentException("no lines of kind " + kind);
            }
            this.loop = loop;
            this.lines = picked.toArray(new byte[0][]);
            this.enricher = Enricher.create(set, EnricherConfig.defaults());
            this.parser = new EventParser(enricher.config().parse());
            this.matcher = enricher.matcher();
            this.events = new LogEvent[lines.length];
            for (int i = 0; i < lines.length; i++) {
                events[i] = ((ParseResult.Events) parser.parse(lines[i])).events().get(0);
            }
        }

        public int lines() {
            return lines.length;
        }

        private static List<byte[]> corpus(CatalogSet set, String kind) {
            Corpus corpus = Corpus.generate(set, Corpus.DEFAULT_SIZE, Corpus.DEFAULT_SEED);
            List<byte[]> picked = new ArrayList<>();
            for (int i = 0; i < corpus.size(); i++) {
                if (kind.equals("ALL") || corpus.kind(i).name().equals(kind)) {
                    picked.add(corpus.lines()[i]);
                }
            }
            return picked;
        }

        /** The stream harness's records (its generator, 10% errors), of one wire format or all. */
        private static List<byte[]> generated(CatalogSet set, String format) {
            LogGenerator gen = new LogGenerator(set, 20261121L,
                    GeneratorProfile.defaults().withErrorRatio(0.10).withBadRatio(0.0));
            Instant t0 = Instant.parse("2026-11-21T10:00:00Z");
            List<byte[]> picked = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                GeneratedRecord r = gen.next(t0.plusMillis(i));
                if (format.equals("ALL") || r.format().name().equals(format)) {
                    picked.add(r.value());
                }
            }
            return picked;
        }

        @Override
        public long applyAsLong(long reps) {
            long sink = 0;
            for (long k = 0; k < reps; k++) {
                switch (loop) {
                    case "parse":
                        for (byte[] line : lines) {
                            sink += System.identityHashCode(parser.parse(line));
                        }
                        break;
                    case "match":
                        for (LogEvent event : events) {
                            sink += System.identityHashCode(matcher.match(event));
                        }
                        break;
                    default:
                        for (byte[] line : lines) {
                            sink += System.identityHashCode(enricher.process(line, SOURCE, null));
                        }
                        break;
                }
            }
            return sink;
        }
    }
}
