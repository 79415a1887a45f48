/**
 * JMH benchmarks of parse + match, issue 2's throughput acceptance point: a seeded mixed log
 * corpus ({@link dev.faultline.bench.Corpus}), Faultline's {@code Enricher.process} and its parse
 * and match halves ({@link dev.faultline.bench.MatcherBenchmark}), and the baseline a grok user
 * writes: one {@code java.util.regex} alternation of every catalog token with correct boundaries
 * ({@link dev.faultline.bench.RegexBaseline}). Before timing anything the benchmark checks that the
 * two find the same codes on the corpus ({@link dev.faultline.bench.Agreement}).
 * {@link dev.faultline.bench.CpuTimeCheck} runs the same loops interleaved and timed by thread CPU
 * time, to read the JMH figures on a shared, noisy machine; {@link dev.faultline.bench.LoaderAb} compares two
 * builds of the catalog library in one JVM (a class loader each, alternated), for changes smaller than that noise.
 *
 * <p>Not part of the build's tests. Run {@code java -jar benchmarks/target/benchmarks.jar}; method,
 * machine and figures are in {@code BENCHMARKS.md}.
 */
package dev.faultline.bench;
