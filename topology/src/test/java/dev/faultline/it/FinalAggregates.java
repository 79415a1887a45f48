package dev.faultline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.generator.ExpectedError;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Final code aggregates read back and compared with a recount of the input, for the tests that check that no
 * count is lost. A series-window is keyed {@code service|catalog|code|windowStart}; aggregates name a
 * service-less event's service "unknown".
 */
final class FinalAggregates {
    private FinalAggregates() {
    }

    /** The recount key of one expected error at event time {@code t}, for windows of {@code windowMs}. */
    static String key(ExpectedError x, Instant t, long windowMs) {
        long window = Math.floorDiv(t.toEpochMilli(), windowMs) * windowMs;
        String service = x.service() == null ? "unknown" : x.service();
        return service + "|" + x.catalog() + "|" + x.code() + "|" + Instant.ofEpochMilli(window);
    }

    /**
     * Calls {@code nudge} with 0, 1, 2, … every 500 ms (it should produce later and later records on every input
     * partition, so every partition's event time moves past the input) until {@code expected} each have a final
     * code aggregate, or {@code timeout} passes. Returns the counts of the code aggregates whose windows start
     * before {@code before}, failing if one series-window is emitted twice.
     */
    static Map<String, Long> await(String bootstrap, String topic, Set<String> expected, Instant before,
            IntConsumer nudge, Duration timeout) throws InterruptedException {
        ScheduledExecutorService nudger = Executors.newSingleThreadScheduledExecutor();
        List<ConsumerRecord<byte[], byte[]>> aggregates;
        try {
            AtomicInteger nudges = new AtomicInteger();
            nudger.scheduleWithFixedDelay(() -> nudge.accept(nudges.getAndIncrement()), 0, 500,
                    TimeUnit.MILLISECONDS);
            // Each aggregate task emits on its own, so wait for every expected series-window, not one marker's.
            aggregates = ItSupport.readUntilOrDeadline(bootstrap, topic, read -> {
                Set<String> seen = new HashSet<>();
                read.forEach(r -> seen.add(codeKey(r)));
                return seen.containsAll(expected);
            }, timeout);
        } finally {
            nudger.shutdown(); // no interrupt: a producer interrupted mid-close logs an error
            nudger.awaitTermination(30, TimeUnit.SECONDS);
        }
        Map<String, Long> counted = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : aggregates) {
            String key = codeKey(r);
            if (key == null || !windowStart(r).isBefore(before)) {
                continue; // not a code aggregate, or a window of the records that only move time on
            }
            long count = ItSupport.json(r.value()).path("count").asLong();
            assertThat(counted.put(key, count)).as("one final aggregate per series and window: %s", key).isNull();
        }
        return counted;
    }

    /** Keys whose values differ (at most 20, so a failure stays readable), and how many differ in all. */
    static <K, V> List<String> differences(Map<K, V> actual, Map<K, V> expected) {
        List<String> out = new ArrayList<>();
        Set<K> keys = new TreeSet<>(java.util.Comparator.comparing(String::valueOf));
        keys.addAll(actual.keySet());
        keys.addAll(expected.keySet());
        int differing = 0;
        for (K k : keys) {
            if (!Objects.equals(actual.get(k), expected.get(k))) {
                differing++;
                if (out.size() < 20) {
                    out.add(k + ": " + actual.get(k) + " != " + expected.get(k));
                }
            }
        }
        if (differing > out.size()) {
            out.add("... " + differing + " keys differ in all, of " + keys.size());
        }
        return out;
    }

    /** The series-window key of a code aggregate; null for other kinds. */
    private static String codeKey(ConsumerRecord<byte[], byte[]> r) {
        JsonNode a = ItSupport.json(r.value());
        if (!"code".equals(a.path("kind").asText())) {
            return null;
        }
        return a.path("service").asText() + "|" + a.path("catalog").asText() + "|" + a.path("code").asText() + "|"
                + windowStart(r);
    }

    private static Instant windowStart(ConsumerRecord<byte[], byte[]> r) {
        return Instant.parse(ItSupport.json(r.value()).path("window").path("start").asText());
    }
}
