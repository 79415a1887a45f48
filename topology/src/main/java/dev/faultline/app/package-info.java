/**
 * Running the topology: {@link dev.faultline.app.FaultlineApp} builds {@code KafkaStreams} from
 * the typed config and the topology, installs the uncaught-exception handler, state listener and
 * shutdown hook, and offers start / await-running / close with deadlines.
 *
 * <p>Depends on the config and topology packages, the catalog library and Kafka Streams. The CLI
 * (and integration tests) depend on it; the topology and config never do.
 */
package dev.faultline.app;
