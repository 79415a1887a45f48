/**
 * Turning one raw log record (a line of a file, a Kafka record value) into {@link
 * dev.faultline.catalog.event.LogEvent}s: format detection per record (JSON, ECS JSON, logfmt,
 * plain text and syslog, OTLP JSON batches), extraction of the typed code fields and message-like
 * fields the matcher reads, and the bounds that keep hostile input from costing unbounded memory
 * or time (record size, nesting depth, string length, field and batch counts, UTF-8 validity).
 *
 * <p>JSON objects are read by a hand-written byte reader ({@code JsonEventReader}, held to Jackson's verdicts by
 * a test), OTLP batches by Jackson's tree model. Depends on Jackson and the JDK only; knows nothing of catalogs or
 * Kafka.
 */
package dev.faultline.catalog.event;
