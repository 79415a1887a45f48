package dev.faultline.topology;

import dev.faultline.ops.SafeText;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
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

    private DeadLetters.Settings settings;

    @Override
    public void configure(Map<String, ?> configs) {
        settings = DeadLetters.Settings.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (exception instanceof StreamsException || exception instanceof RetriableException) {
            // Kafka Streams' own failure (a send its production handler failed, a broken store) on its way up
            // through every processor on the stack, or a client's retriable one (a metadata timeout of a sink's
            // partitioner): not this record's, and under exactly-once nothing more can be sent in this
            // transaction. Neither dead-lettered nor counted, once per processor; the task fails and the record is
            // read again from the last commit.
            LOG.debug("{} saw Kafka Streams fail on a record of {}-{}@{}", context.processorNodeId(),
                    context.topic(), context.partition(), context.offset());
            return Response.fail();
        }
        // The exception's messages may quote a record: escaped, with its stack trace.
        LOG.warn("{} failed on a record of {}-{}@{}; dead-lettered", context.processorNodeId(), context.topic(),
                context.partition(), context.offset(), SafeText.forLog(exception));
        return Response.resume(List.of(settings.deadLetter(context.sourceRawKey(), context.sourceRawValue(),
                context.headers(), context.topic(), context.partition(), context.offset(),
                "in " + context.processorNodeId() + ": " + exception.getMessage(), exception)));
    }
}
