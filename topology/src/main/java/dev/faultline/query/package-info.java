/**
 * The query API: read-only JSON over HTTP, answered from Kafka Streams interactive queries and the
 * loaded catalogs, mounted on the ops server ({@link dev.faultline.ops.OpsServer}) under
 * {@code /api/…}.
 *
 * <p>Any instance answers for the whole application: a query for one service goes to the instance
 * that owns the service's store partition ({@code KafkaStreams#queryMetadataForKey}, then HTTP to
 * its {@code application.server}); a query over every key (active alerts) asks every instance that
 * hosts the store ({@code KafkaStreams#streamsMetadataForStore}) and merges the answers. Calls
 * between instances have bounded connect and request timeouts and are marked as forwarded, and a
 * forwarded request is always answered locally, so a request crosses at most one hop.
 *
 * <p>Depends on the ops, topology and config packages, the catalog library and Kafka Streams; the
 * app package mounts it.
 */
package dev.faultline.query;
