/**
 * Small helpers over Kafka's client libraries alone (the {@code Admin} API), for every package that talks to a
 * cluster: the app and the command line ({@code faultline catalog publish}), the embedded broker, the tests.
 *
 * <p>Depends on {@code kafka-clients} only: unlike its parent package, it pulls in no broker code, so the app may
 * depend on it.
 */
package dev.faultline.kafka.client;
