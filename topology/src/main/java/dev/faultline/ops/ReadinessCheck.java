package dev.faultline.ops;

import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/** Decides whether Faultline is ready; called on every {@code GET /health/ready}, so it must be cheap. */
@FunctionalInterface
public interface ReadinessCheck {
    Readiness check();

    /** Always ready (liveness: the process answers, so it is up). */
    static ReadinessCheck always() {
        return Readiness::up;
    }

    /**
     * Ready when the catalogs are loaded and Kafka Streams is {@code RUNNING}; otherwise the reason
     * names which of the two is missing (and the Kafka Streams state).
     *
     * @param streams        the current KafkaStreams instance ({@code null} while it does not exist yet);
     *                       a supplier because the app may replace it
     * @param catalogsLoaded whether a valid catalog set is in use
     */
    static ReadinessCheck kafkaStreams(Supplier<KafkaStreams> streams, BooleanSupplier catalogsLoaded) {
        Objects.requireNonNull(streams, "streams");
        Objects.requireNonNull(catalogsLoaded, "catalogsLoaded");
        return () -> {
            if (!catalogsLoaded.getAsBoolean()) {
                return Readiness.down("catalogs not loaded");
            }
            KafkaStreams ks = streams.get();
            if (ks == null) {
                return Readiness.down("kafka streams not started");
            }
            KafkaStreams.State state = ks.state();
            return state == KafkaStreams.State.RUNNING ? Readiness.up()
                    : Readiness.down("kafka streams " + state.name());
        };
    }
}
