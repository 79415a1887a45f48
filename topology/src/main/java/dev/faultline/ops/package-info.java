/**
 * Operating Faultline: its own metrics ({@link dev.faultline.ops.FaultlineMetrics}, Micrometer with
 * a Prometheus registry, plus JVM and Kafka Streams binders), the operations HTTP endpoint
 * ({@link dev.faultline.ops.OpsServer}: {@code /metrics}, {@code /health/live},
 * {@code /health/ready}, and a route registry the query API mounts on), and alert delivery
 * ({@link dev.faultline.ops.AlertForwarder} reads the alerts topic with read_committed and feeds
 * {@link dev.faultline.ops.AlertSink}s: {@link dev.faultline.ops.AlertmanagerSink} for
 * Alertmanager's API v2, {@link dev.faultline.ops.WebhookSink} for a generic JSON webhook), with
 * {@link dev.faultline.ops.SafeText} escaping log text before it leaves the process.
 *
 * <p>Depends only on the catalog library's model (formats, matches, reasons), the Kafka clients and
 * Kafka Streams API (state, consumer), Micrometer, Jackson and the JDK. It knows nothing of the
 * configuration file, the topology or the command line: callers pass plain settings.
 *
 * <p>Who may depend on it: the topology (to record metrics through {@code FaultlineMetrics}), the
 * application wiring ({@code dev.faultline.app}) and the command line ({@code dev.faultline.cli}),
 * which build the server, the sinks and the forwarder from the configuration. Nothing in this package
 * may depend back on those.
 */
package dev.faultline.ops;
