/**
 * Kafka plumbing that is not the topology itself: {@link dev.faultline.kafka.EmbeddedKafkaBroker},
 * a real single-node KRaft broker and controller run in-process on loopback for {@code faultline
 * demo} and the integration tests.
 *
 * <p>Depends only on Kafka's own server and client libraries. The command line ({@code
 * dev.faultline.cli}) and tests may depend on it; the topology, the app and the generator must not
 * (they talk to any cluster through bootstrap servers alone).
 */
package dev.faultline.kafka;
