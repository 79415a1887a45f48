/**
 * Turning one raw log record (a line of a file, a Kafka record value) into {@link
 * dev.faultline.catalog.event.LogEvent}s: format detection per record (JSON, ECS JSON, logfmt,
 * plain text and syslog, OTLP JSON batches), extraction of the typed code fields and message-like
 * fields the matcher reads, and the bounds that keep hostile input from costing unbounded memory
 * or time (record size, nesting depth, string length, field and batch counts, UTF-8 validity).
 *
 * <p>JSON is read by hand-written byte readers over one lexer ({@code JsonLexer}): one-event objects in a single
 * pass ({@code JsonEventReader}), OTLP batches from a flat tape of the record ({@code JsonTape},
 * {@code OtlpReader}). Tests hold both to Jackson's verdicts and values. Depends on the JDK only; knows nothing of
 * catalogs or Kafka.
 */
package dev.faultline.catalog.event;
