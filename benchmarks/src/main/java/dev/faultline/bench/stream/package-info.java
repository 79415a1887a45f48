/**
 * Issue 3's stream acceptance point: {@link dev.faultline.bench.stream.StreamHarness} starts the
 * embedded KRaft broker in-process, pre-produces millions of generated log records (about 10%
 * errors, a spike of a transient code near the end, realistic event times), and measures on that
 * one broker, in one run: a pass-through topology ({@link dev.faultline.bench.stream.PassThrough},
 * same serdes and Streams config) against Faultline's full topology (records/s and their ratio),
 * the live alert latency (the send of the event that crosses {@code alerts.min-count} to the
 * {@code firing} record visible to a read_committed consumer), and the heap.
 *
 * <p>Not a JMH benchmark and not part of the tests. It ships in the benchmarks jar; run it with
 * {@code java -cp benchmarks/target/benchmarks.jar dev.faultline.bench.stream.StreamHarness}. Method,
 * machine and figures are in {@code BENCHMARKS.md}.
 */
package dev.faultline.bench.stream;
