/**
 * The Kafka Streams topology: {@link dev.faultline.topology.FaultlineTopology#build} is one pure
 * function from typed configuration and an {@code Enricher} to a {@code Topology} (enrich and
 * dead-letter, windowed aggregates, spike alerts). Topic names ({@link dev.faultline.topology.Topics}),
 * serdes ({@link dev.faultline.topology.FaultlineSerdes}) and every processor, store and internal
 * topic name are fixed here, explicitly.
 *
 * <p>Depends on the catalog library, the config package, the ops package's meters
 * ({@code FaultlineMetrics}, optional), alert record header ({@code Alert.EMITTED_AT_HEADER}) and log escaping
 * ({@code SafeText}), Kafka Streams and SLF4J; never reads the wall clock itself: time
 * is record time, stream time and Kafka Streams' own clock ({@code currentSystemTimeMs()}, wall-clock
 * punctuators), which the test driver controls. The app and the CLI depend on it; it depends on
 * neither.
 */
package dev.faultline.topology;
