package dev.faultline.topology;

import dev.faultline.config.FaultlineConfig;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every topic the topology reads or writes, in one immutable place.
 *
 * @param inputs       log topics (empty when {@code inputPattern} is set)
 * @param inputPattern regex of log topics, or {@code null}
 */
public record Topics(List<String> inputs, Pattern inputPattern, String enriched, String aggregates, String alerts,
        String dlq) {
    public Topics {
        inputs = List.copyOf(inputs);
        Objects.requireNonNull(enriched, "enriched");
        Objects.requireNonNull(aggregates, "aggregates");
        Objects.requireNonNull(alerts, "alerts");
        Objects.requireNonNull(dlq, "dlq");
        if (inputs.isEmpty() == (inputPattern == null)) {
            throw new IllegalArgumentException("exactly one of input topics or an input pattern");
        }
    }

    /** The topics a config names. */
    public static Topics from(FaultlineConfig config) {
        return new Topics(config.inputTopics(), config.inputPattern().orElse(null), config.enrichedTopic(),
                config.aggregatesTopic(), config.alertsTopic(), config.dlqTopic());
    }

    public Optional<Pattern> pattern() {
        return Optional.ofNullable(inputPattern);
    }

    /** The output topics, e.g. for creating them before the app starts. */
    public List<String> outputs() {
        return List.of(enriched, aggregates, alerts, dlq);
    }
}
