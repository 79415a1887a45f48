/**
 * A workload generator of realistic logs from the five seed systems (nefia, agent-tasks,
 * foundry-mcp, vault-rpc, nps) in every format Faultline reads: pino-style JSON (with JSON-RPC and
 * foundry response envelopes), logfmt, plain text and syslog, ECS JSON and OTLP JSON batches.
 * {@link dev.faultline.generator.LogGenerator} makes records (deterministic for a seed, time passed
 * in); {@link dev.faultline.generator.ProducerLoop} paces them into Kafka, with an optional spike of
 * one transient code so an alert fires and later resolves.
 *
 * <p>Depends on the catalog model (to pick codes) and the Kafka producer API only. The command line
 * ({@code faultline generate}, {@code faultline demo}), benchmarks and tests may depend on it; the
 * topology and the app must not.
 */
package dev.faultline.generator;
