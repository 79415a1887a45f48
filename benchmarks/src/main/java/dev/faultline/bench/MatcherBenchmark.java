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
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parse + match throughput on the {@link Corpus}, against the {@link RegexBaseline} in the same run.
 *
 * <p>One invocation walks the whole corpus ({@value #LINES} lines) and is declared as {@value #LINES}
 * operations, so every score is in lines per second and {@code gc.alloc.rate.norm} (with
 * {@code -prof gc}) is in bytes per line. Single-threaded. Every result goes to the
 * {@link Blackhole}.
 *
 * <ul>
 *   <li>{@code faultline}: {@link Enricher#process} per line: UTF-8 validation, format detection, the
 *       streaming JSON / logfmt / text parse, typed lookup and the string fallback, the enriched
 *       events. Everything but the JSON output.</li>
 *   <li>{@code parseOnly}: {@link EventParser#parse} per line.</li>
 *   <li>{@code matchOnly}: {@link Matcher#match} per pre-parsed event (one per line).</li>
 *   <li>{@code regexBaseline}: decode the line ({@code new String(bytes, UTF_8)}), {@code find()} every
 *       match of the one alternation, look each up in a {@code HashMap}.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MatcherBenchmark {

    /** Corpus size = operations per invocation; must be a constant for the annotation. */
    public static final int LINES = Corpus.DEFAULT_SIZE;

    private static final SourceRef SOURCE = SourceRef.kafka("logs.raw", 0, 0L);

    private byte[][] lines;
    private LogEvent[] events;
    private Enricher enricher;
    private EventParser parser;
    private Matcher matcher;
    private Pattern pattern;
    private RegexBaseline regex;

    @Setup(Level.Trial)
    public void setUp() {
        CatalogSet set = new CatalogLoader().loadBundled().orThrow();
        Corpus corpus = Corpus.generate(set, LINES, Corpus.DEFAULT_SEED);
        lines = corpus.lines();
        enricher = Enricher.create(set, EnricherConfig.defaults());
        parser = new EventParser(enricher.config().parse());
        matcher = enricher.matcher();
        regex = RegexBaseline.of(set);
        pattern = regex.pattern();
        if (regex.tokenCount() != matcher.index().tokenCount()) {
            throw new IllegalStateException("regex has " + regex.tokenCount() + " tokens, the index "
                    + matcher.index().tokenCount());
        }
        events = new LogEvent[lines.length];
        for (int i = 0; i < lines.length; i++) {
            ParseResult r = parser.parse(lines[i]);
            if (!(r instanceof ParseResult.Events) || ((ParseResult.Events) r).events().size() != 1) {
                throw new IllegalStateException("line " + i + " is not exactly one event: " + r);
            }
            events[i] = ((ParseResult.Events) r).events().get(0);
        }
        Agreement agreement = Agreement.run(corpus, enricher, regex);
        System.out.print(corpus.describe());
        System.out.print(agreement.report());
        agreement.check();
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void faultline(Blackhole bh) {
        Enricher e = enricher;
        for (byte[] line : lines) {
            bh.consume(e.process(line, SOURCE, null));
        }
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void parseOnly(Blackhole bh) {
        EventParser p = parser;
        for (byte[] line : lines) {
            bh.consume(p.parse(line));
        }
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void matchOnly(Blackhole bh) {
        Matcher m = matcher;
        for (LogEvent event : events) {
            bh.consume(m.match(event));
        }
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void regexBaseline(Blackhole bh) {
        Pattern p = pattern;
        RegexBaseline r = regex;
        for (byte[] line : lines) {
            java.util.regex.Matcher m = p.matcher(new String(line, StandardCharsets.UTF_8));
            while (m.find()) {
                bh.consume(r.lookup(m.group()));
            }
        }
    }

    /** Runs the benchmarks from an IDE; the shaded jar's main is JMH's own. */
    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(args.length > 0 ? args : new String[] {MatcherBenchmark.class.getSimpleName()});
    }
}
