package dev.faultline.topology;

import dev.faultline.ops.SafeText;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that does not decode: never an input log (those are read as bytes), but an internal record Faultline
 * cannot read, written by another version say. It goes to the dead-letter topic as every other dead letter does
 * ({@code processing-error}, the topic in the detail), is counted, and processing resumes.
 */
public final class FaultlineDeserializationExceptionHandler implements DeserializationExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(FaultlineDeserializationExceptionHandler.class);

    private DeadLetters.Settings settings;

    @Override
    public void configure(Map<String, ?> configs) {
        settings = DeadLetters.Settings.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        LOG.warn("cannot decode a record of {}-{}@{}; dead-lettered", record.topic(), record.partition(),
                record.offset(), SafeText.forLog(exception));
        return Response.resume(List.of(settings.deadLetter(record.key(), record.value(), record.headers(),
                record.topic(), record.partition(), record.offset(),
                "cannot decode a record of " + record.topic() + ": " + exception.getMessage(), exception)));
    }
}
