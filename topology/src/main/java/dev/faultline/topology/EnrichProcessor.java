package dev.faultline.topology;

import dev.faultline.catalog.enrich.EnrichedEvent;
import dev.faultline.catalog.enrich.EnrichedEventJson;
import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.catalog.enrich.ProcessOutcome;
import dev.faultline.catalog.enrich.SourceRef;
import dev.faultline.catalog.event.LogEvent;
import dev.faultline.catalog.event.UnreadableReason;
import dev.faultline.catalog.match.ErrorMatch;
import dev.faultline.catalog.match.MatchResult;
import dev.faultline.catalog.model.CatalogEntry;
import dev.faultline.catalog.model.ErrorClass;
import dev.faultline.catalog.model.Transience;
import dev.faultline.ops.Alert;
import dev.faultline.ops.FaultlineMetrics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Parses, matches and enriches one raw record, forwarding either a dead letter (original key,
 * value and headers plus {@code faultline.dlq.*} headers) or one {@link Routed.Event} per parsed
 * event, timestamped with its guarded event time. Never throws for bad input.
 */
final class EnrichProcessor implements Processor<byte[], byte[], byte[], Routed> {
    static final String UNKNOWN_SERVICE = "unknown";
    /** Header of an event record with errors: its input record's Kafka timestamp (epoch ms, decimal). */
    static final String INGESTED_AT_HEADER = "faultline.ingested-at";
    private static final int MAX_HOST_CHARS = 256;
    /**
     * The most bytes of enriched events one input record may make. Every output record is built before the first
     * is forwarded (so a failure half-way leaves none), and one OTLP batch of a megabyte (10,000 log records, 16
     * errors each, every error with its catalog entry's texts) would otherwise hold over 100 MB per stream thread.
     */
    static final long MAX_OUTPUT_BYTES_PER_RECORD = 32L * 1024 * 1024;

    private final Supplier<Enricher> enricher;
    private final Function<String, String> serviceForTopic;
    private final boolean emitEventsWithoutErrors;
    private final EventTime eventTime;
    private final int maxSampleChars;
    private final long tickIntervalMs;
    /** The most bytes of key, value and headers a record may carry and still be sent (a dead letter, an event). */
    private final int maxDeadLetterBytes;
    /** {@code null}: no metrics (tests, tools). */
    private final FaultlineMetrics metrics;
    private ProcessorContext<byte[], Routed> context;
    private long lastTick = Long.MIN_VALUE;
    /** This task's id, which its ticks carry so the alert task can tell input partitions apart. */
    private String source;

    EnrichProcessor(Supplier<Enricher> enricher, Function<String, String> serviceForTopic,
            boolean emitEventsWithoutErrors, EventTime eventTime, int maxSampleChars, long tickIntervalMs) {
        this(enricher, serviceForTopic, emitEventsWithoutErrors, eventTime, maxSampleChars, tickIntervalMs,
                DeadLetters.DEFAULT_MAX_BYTES, null);
    }

    EnrichProcessor(Supplier<Enricher> enricher, Function<String, String> serviceForTopic,
            boolean emitEventsWithoutErrors, EventTime eventTime, int maxSampleChars, long tickIntervalMs,
            int maxDeadLetterBytes, FaultlineMetrics metrics) {
        this.metrics = metrics;
        this.maxDeadLetterBytes = maxDeadLetterBytes;
        this.enricher = enricher;
        this.serviceForTopic = serviceForTopic;
        this.emitEventsWithoutErrors = emitEventsWithoutErrors;
        this.eventTime = eventTime;
        this.maxSampleChars = maxSampleChars;
        this.tickIntervalMs = tickIntervalMs;
    }

    @Override
    public void init(ProcessorContext<byte[], Routed> context) {
        this.context = context;
        this.source = context.taskId().toString();
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata md = context.recordMetadata().orElse(null);
        if (record.value() == null) {
            // A tombstone carries no log, but dropping it unseen would hide a producer's bug.
            if (metrics != null) {
                metrics.recordDeadLetter(UnreadableReason.NULL_VALUE);
            }
            context.forward(deadLetter(record, md, UnreadableReason.NULL_VALUE.wire(), "record has no value", null));
            return;
        }
        List<Record<byte[], Routed>> out;
        long tickBefore = lastTick; // a tick built for a record that is dead-lettered instead is never sent
        try {
            Enricher e = enricher.get();
            SourceRef source = md == null ? SourceRef.none() : SourceRef.kafka(md.topic(), md.partition(), md.offset());
            String fallback = md == null ? null : serviceForTopic.apply(md.topic());
            ProcessOutcome outcome = metrics == null ? e.process(record.value(), source, fallback)
                    : metrics.timeMatch(() -> e.process(record.value(), source, fallback));
            if (outcome instanceof ProcessOutcome.Unreadable u) {
                if (metrics != null) {
                    metrics.recordDeadLetter(u.reason());
                }
                context.forward(deadLetter(record, md, u.reason().wire(), u.detail(), null));
                return;
            }
            // Build everything before forwarding anything: a failure half-way must not leave partial output.
            List<EnrichedEvent> enriched = ((ProcessOutcome.Enriched) outcome).events();
            out = events(record, enriched, e.json(), e.config().maxMessageChars());
            recordMetrics(enriched);
        } catch (TooLarge tooLarge) {
            lastTick = tickBefore;
            if (metrics != null) {
                metrics.recordDeadLetter(UnreadableReason.TOO_LARGE);
            }
            context.forward(deadLetter(record, md, UnreadableReason.TOO_LARGE.wire(), tooLarge.getMessage(), null));
            return;
        } catch (RuntimeException ex) {
            lastTick = tickBefore;
            if (metrics != null) {
                metrics.recordDeadLetter(UnreadableReason.PROCESSING_ERROR);
            }
            context.forward(deadLetter(record, md, UnreadableReason.PROCESSING_ERROR.wire(),
                    String.valueOf(ex.getMessage()), ex.getClass().getName()));
            return;
        }
        out.forEach(context::forward);
    }

    /** Counted after the record is built, so a record that fails half-way is counted only as a dead letter. */
    private void recordMetrics(List<EnrichedEvent> events) {
        if (metrics == null) {
            return;
        }
        if (events.isEmpty()) {
            metrics.recordEmptyRecord();
        }
        for (EnrichedEvent ev : events) {
            metrics.recordEvent(ev.event().format());
            metrics.recordResult(new MatchResult(ev.errors(), ev.unknownCodes()));
        }
    }

    private List<Record<byte[], Routed>> events(Record<byte[], byte[]> record, List<EnrichedEvent> events,
            EnrichedEventJson writer, int maxMessageChars) {
        List<Record<byte[], Routed>> out = new ArrayList<>(events.size());
        long total = 0;
        for (EnrichedEvent ev : events) {
            LogEvent le = ev.event();
            long t = eventTime.choose(le.epochMillis(), record.timestamp());
            String service = le.service() == null ? UNKNOWN_SERVICE : le.service();
            byte[] json = ev.hasFindings() || emitEventsWithoutErrors
                    ? writer.bytes(ev, maxMessageChars) : null;
            byte[] key = service.getBytes(StandardCharsets.UTF_8);
            if (json != null && (long) json.length + key.length > maxDeadLetterBytes) {
                // A record the producer refuses fails the task on every retry and stalls the partition; the input
                // (at most limits.max-record-bytes) goes to the DLQ instead. Control chars written as six-byte
                // escapes make an event up to six times its message.
                throw new TooLarge("its enriched event of " + json.length + " bytes would not fit the producer's "
                        + "max.request.size");
            }
            total += json == null ? 0 : json.length;
            if (total > MAX_OUTPUT_BYTES_PER_RECORD) {
                throw new TooLarge("its " + events.size() + " events make more than " + MAX_OUTPUT_BYTES_PER_RECORD
                        + " bytes of enriched events");
            }
            List<Occurrence> occ = occurrences(ev, service, t);
            long progress = EventTime.progress(t, record.timestamp());
            if (lastTick == Long.MIN_VALUE || progress >= lastTick + tickIntervalMs) {
                occ.add(Occurrence.tick(progress, source));
                lastTick = progress;
            }
            RecordHeaders headers = new RecordHeaders();
            if (!ev.errors().isEmpty() && record.timestamp() >= 0) {
                // Errors: the alert detector learns when the log reached Kafka, for judging an alert's staleness.
                // The record's timestamp: its arrival with LogAppendTime topics or producers stamping the send time.
                headers.add(INGESTED_AT_HEADER, Alert.millisHeader(record.timestamp()));
            }
            out.add(new Record<>(key, new Routed.Event(json, occ, progress),
                    progress, headers));
        }
        return out;
    }

    /**
     * One service total, plus one per distinct code and per distinct class the event carries. A class's
     * occurrence has the most retryable transience of the event's errors of that class (transient, then
     * conditional, then permanent), so a transient error is never hidden from the class's alerts by a permanent
     * one of the same class named before it.
     */
    private List<Occurrence> occurrences(EnrichedEvent ev, String service, long t) {
        String host = Text.truncate(ev.event().host(), MAX_HOST_CHARS);
        String msg = Text.truncate(ev.event().message(), maxSampleChars);
        List<Occurrence> out = new ArrayList<>(3);
        out.add(Occurrence.of(Occurrence.TOTAL, service, null, null, null, null, host, null, t));
        Set<String> seen = new HashSet<>();
        for (ErrorMatch m : ev.errors()) {
            CatalogEntry entry = m.entry();
            ErrorClass cls = entry != null ? entry.errorClass() : EnrichedEventJson.commonClass(m.candidates());
            Transience tr = entry != null ? entry.transience() : EnrichedEventJson.commonTransience(m.candidates());
            String trWire = tr == null ? null : tr.wire();
            if (entry != null && seen.add("code|" + entry.key())) {
                out.add(Occurrence.of(Occurrence.CODE, service, entry.catalog(), entry.code(), cls.wire(), trWire,
                        host, msg, t));
            }
            if (cls != null) {
                Occurrence held = classOccurrence(out, cls.wire());
                if (held == null) {
                    out.add(Occurrence.of(Occurrence.CLASS, service, null, null, cls.wire(), trWire, host, msg, t));
                } else if (retryRank(trWire) > retryRank(held.tr)) {
                    held.tr = trWire;
                }
            }
        }
        return out;
    }

    private static Occurrence classOccurrence(List<Occurrence> out, String cls) {
        for (Occurrence o : out) {
            if (Occurrence.CLASS.equals(o.kind) && cls.equals(o.cls)) {
                return o;
            }
        }
        return null;
    }

    /** Transient over conditional over permanent over none. */
    private static int retryRank(String transience) {
        if (Transience.TRANSIENT.wire().equals(transience)) {
            return 3;
        }
        if (Transience.CONDITIONAL.wire().equals(transience)) {
            return 2;
        }
        return transience == null ? 0 : 1;
    }

    private Record<byte[], Routed> deadLetter(Record<byte[], byte[]> record, RecordMetadata md, String reason,
            String detail, String exception) {
        DeadLetters.Letter letter = DeadLetters.of(record.key(), record.value(), record.headers().toArray(),
                maxDeadLetterBytes, reason, detail, exception, md == null ? null : md.topic(),
                md == null ? null : md.partition(), md == null ? null : md.offset());
        return new Record<>(letter.key(), new Routed.DeadLetter(letter.value()), record.timestamp(),
                letter.headers());
    }

    /** An event too large to send: its record is dead-lettered. No stack trace: the message says it all. */
    private static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message, null, false, false);
        }
    }
}
