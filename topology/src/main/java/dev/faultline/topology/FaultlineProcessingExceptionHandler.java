package dev.faultline.topology;

import dev.faultline.catalog.event.UnreadableReason;
import dev.faultline.ops.FaultlineMetrics;
import dev.faultline.ops.SafeText;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exception in an operator after the enrich step (the enrich step dead-letters its own failures): the task's
 * source record goes to the dead-letter topic in the same shape as every other dead letter ({@code processing-error},
 * the failing processor in the detail), is counted, and processing resumes. Kafka's own handlers would write a
 * different shape (raw exception message and stack trace, no reason) and count nothing.
 */
public final class FaultlineProcessingExceptionHandler implements ProcessingExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(FaultlineProcessingExceptionHandler.class);

    private DeadLetterSettings settings;

    @Override
    public void configure(Map<String, ?> configs) {
        settings = DeadLetterSettings.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        // The exception's messages may quote a record: escaped, with its stack trace.
        LOG.warn("{} failed on a record of {}-{}@{}; dead-lettered", context.processorNodeId(), context.topic(),
                context.partition(), context.offset(), SafeText.forLog(exception));
        return Response.resume(List.of(settings.deadLetter(context.sourceRawKey(), context.sourceRawValue(),
                context.headers(), context.topic(), context.partition(), context.offset(),
                "in " + context.processorNodeId() + ": " + exception.getMessage(), exception)));
    }

    /** What both handlers need: the topic, the producer's size limit and the meters (absent in tools and tests). */
    record DeadLetterSettings(String topic, int maxBytes, FaultlineMetrics metrics) {
        static DeadLetterSettings from(Map<String, ?> configs) {
            Object m = configs.get(FaultlineTopology.METRICS_CONFIG);
            return new DeadLetterSettings(String.valueOf(configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG)),
                    DeadLetters.maxBytes(configs), m instanceof FaultlineMetrics fm ? fm : null);
        }

        ProducerRecord<byte[], byte[]> deadLetter(byte[] key, byte[] value, Headers headers, String sourceTopic,
                int partition, long offset, String detail, Exception exception) {
            if (metrics != null) {
                metrics.recordDeadLetter(UnreadableReason.PROCESSING_ERROR);
            }
            boolean hasSource = sourceTopic != null && offset >= 0; // a punctuation's failure has no record
            DeadLetters.Letter letter = DeadLetters.of(key, value, headers == null ? new Header[0] : headers.toArray(),
                    maxBytes, UnreadableReason.PROCESSING_ERROR.wire(), detail, exception.getClass().getName(),
                    hasSource ? sourceTopic : null, partition, offset);
            return new ProducerRecord<>(topic, null, null, letter.key(), letter.value(), letter.headers());
        }
    }
}
