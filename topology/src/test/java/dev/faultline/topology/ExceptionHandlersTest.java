package dev.faultline.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.config.FaultlineConfig;
import dev.faultline.ops.FaultlineMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** Failures after the enrich step are dead-lettered in Faultline's shape and counted. */
class ExceptionHandlersTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** What Kafka Streams tells a handler about the failing record: plain data. */
    private record Context(String topic, int partition, long offset, Headers headers, String processorNodeId,
            TaskId taskId, long timestamp, byte[] sourceRawKey, byte[] sourceRawValue) implements ErrorHandlerContext {
    }

    private Map<String, Object> configs(Object maxRequestSize) {
        Properties p = FaultlineTopology.streamsProperties(FaultlineConfig.defaults(),
                new FaultlineMetrics(registry));
        Map<String, Object> m = new HashMap<>();
        p.forEach((k, v) -> m.put(k.toString(), v));
        if (maxRequestSize != null) {
            m.put("producer.max.request.size", maxRequestSize);
        }
        return m;
    }

    private double deadLetters() {
        var c = registry.find("faultline.dead.letters").tags("reason", "processing-error").counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void shouldWireFaultlinesHandlersIntoTheStreamsConfig() {
        Properties p = FaultlineTopology.streamsProperties(FaultlineConfig.defaults(), null);
        assertThat(p.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG))
                .isEqualTo(FaultlineProcessingExceptionHandler.class.getName());
        assertThat(p.get(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG))
                .isEqualTo(FaultlineDeserializationExceptionHandler.class.getName());
    }

    /**
     * A send Kafka Streams' production handler failed travels up through every processor on the stack, each asking
     * this handler: it is not the record's failure, and under exactly-once no dead letter could be sent with it.
     */
    @Test
    void shouldFailWithoutDeadLetteringOrCountingWhenKafkaStreamsOwnSendFailed() {
        FaultlineProcessingExceptionHandler handler = new FaultlineProcessingExceptionHandler();
        handler.configure(configs(null));
        Context ctx = new Context("logs", 0, 0L, new RecordHeaders(), "faultline-enrich", new TaskId(0, 0), 0L,
                null, "ERROR E2001".getBytes(StandardCharsets.UTF_8));
        StreamsException sendFailed = new StreamsException("Error encountered sending record to topic "
                + "faultline.enriched for task 0_0 due to: RecordTooLargeException.",
                new org.apache.kafka.common.errors.RecordTooLargeException("1201395 bytes"));

        ProcessingExceptionHandler.Response r = handler.handleError(ctx, new Record<>(null, null, 0L), sendFailed);

        assertThat(r.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
        assertThat(r.deadLetterQueueRecords()).isEmpty();
        assertThat(deadLetters()).isZero();
        // a sink partitioner's metadata timeout, which Kafka Streams would retry: not the record's failure either
        ProcessingExceptionHandler.Response timeout = handler.handleError(ctx, new Record<>(null, null, 0L),
                new org.apache.kafka.common.errors.TimeoutException("Could not get partitions for topic x"));
        assertThat(timeout.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
        assertThat(deadLetters()).isZero();
    }

    /** The handler keeps whatever headers Kafka Streams gives it (for the enrich task's input: the log's). */
    @Test
    void shouldDeadLetterTheSourceRecordOfAFailedProcessorInFaultlinesShapeAndResume() {
        FaultlineProcessingExceptionHandler handler = new FaultlineProcessingExceptionHandler();
        handler.configure(configs(null));
        Headers in = new RecordHeaders().add("trace-id", "abc".getBytes(StandardCharsets.UTF_8));
        Context ctx = new Context("logs", 2, 41L, in, "faultline-alert-detector", new TaskId(2, 2), 0L,
                "k".getBytes(StandardCharsets.UTF_8), "raw".getBytes(StandardCharsets.UTF_8));

        ProcessingExceptionHandler.Response r = handler.handleError(ctx, new Record<>("k", "v", 0L),
                new IllegalStateException("boom\nforged line"));

        assertThat(r.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        ProducerRecord<byte[], byte[]> dead = r.deadLetterQueueRecords().get(0);
        assertThat(dead.topic()).isEqualTo("faultline.dlq");
        assertThat(dead.value()).isEqualTo("raw".getBytes(StandardCharsets.UTF_8));
        assertThat(header(dead, DlqHeaders.REASON)).isEqualTo("processing-error");
        assertThat(header(dead, DlqHeaders.DETAIL)).isEqualTo("in faultline-alert-detector: boom\\u000aforged line");
        assertThat(header(dead, DlqHeaders.EXCEPTION)).isEqualTo(IllegalStateException.class.getName());
        assertThat(header(dead, DlqHeaders.SOURCE_TOPIC)).isEqualTo("logs");
        assertThat(header(dead, DlqHeaders.SOURCE_OFFSET)).isEqualTo("41");
        assertThat(header(dead, "trace-id")).isEqualTo("abc");
        assertThat(deadLetters()).isEqualTo(1);
    }

    @Test
    void shouldDeadLetterAnUndecodableRecordCutToWhatTheProducerSends() {
        FaultlineDeserializationExceptionHandler handler = new FaultlineDeserializationExceptionHandler();
        handler.configure(configs("40000"));
        byte[] value = new byte[100_000];
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("app-faultline-x-repartition", 0, 7L, null, value);
        Context ctx = new Context(record.topic(), 0, 7L, record.headers(), "src", new TaskId(1, 0), 0L, null, value);

        DeserializationExceptionHandler.Response r = handler.handleError(ctx, record,
                new SerializationException("unknown format 127"));

        assertThat(r.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        ProducerRecord<byte[], byte[]> dead = r.deadLetterQueueRecords().get(0);
        assertThat(dead.value()).hasSize(40_000 - DeadLetters.HEADROOM_BYTES);
        assertThat(header(dead, DlqHeaders.TRUNCATED)).isEqualTo("0,100000,0");
        assertThat(header(dead, DlqHeaders.DETAIL))
                .isEqualTo("cannot decode a record of app-faultline-x-repartition: unknown format 127");
        assertThat(header(dead, DlqHeaders.SOURCE_OFFSET)).isEqualTo("7");
        assertThat(deadLetters()).isEqualTo(1);
    }

    @Test
    void shouldDeadLetterAPunctuationsFailureWithoutASourceRecord() {
        FaultlineProcessingExceptionHandler handler = new FaultlineProcessingExceptionHandler();
        handler.configure(configs(null));
        Context ctx = new Context(null, -1, -1L, new RecordHeaders(), "faultline-agg-windows", new TaskId(1, 0), 0L,
                null, null);

        ProducerRecord<byte[], byte[]> dead = handler.handleError(ctx, null, new IllegalStateException("x"))
                .deadLetterQueueRecords().get(0);

        assertThat(dead.value()).isNull();
        assertThat(header(dead, DlqHeaders.SOURCE_TOPIC)).isNull();
        assertThat(header(dead, DlqHeaders.REASON)).isEqualTo("processing-error");
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
