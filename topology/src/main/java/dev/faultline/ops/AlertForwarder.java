package dev.faultline.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the alerts topic and hands every alert to the sinks.
 *
 * <p>A plain consumer of its own rather than a hook in the topology, because:
 * <ul>
 *   <li>with {@code isolation.level=read_committed} it only ever sees alerts from committed
 *       transactions: under exactly-once, an alert from a task that aborted and re-ran is never
 *       sent, so Alertmanager never sees a phantom or a duplicate;</li>
 *   <li>it keeps network I/O to Alertmanager entirely off the stream threads, so a slow or down
 *       Alertmanager can never stall processing or time out a transaction;</li>
 *   <li>it has its own consumer group and offsets: after a restart it continues where it stopped,
 *       and it can run in a separate process (or be disabled) without touching the topology.</li>
 * </ul>
 *
 * <p>Delivery: offsets are committed after the alerts are handed to the sinks' queues. A crash can
 * lose what was still queued; that is safe because firing alerts are re-sent by Faultline's
 * reminders and expire in Alertmanager on their own ({@code firingTtl}). Firing alerts emitted longer ago than
 * {@code maxAge} (a new group reading old history, a long outage), or detected longer than {@code maxEventLag}
 * after their log reached Kafka (a catch-up), are skipped, so stale spikes are not re-announced; resolves are
 * always forwarded (ending an alert is harmless).
 *
 * <p>Meter: {@code faultline.alert.forwarder.records} (tag {@code outcome}: forwarded, stale,
 * unreadable, tombstone).
 */
public final class AlertForwarder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertForwarder.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final List<AlertSink> sinks;
    private final Duration maxAge;
    private final Duration maxEventLag;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean running;
    private boolean started;
    private boolean closed;

    private final Counter forwarded;
    private final Counter stale;
    private final Counter unreadable;
    private final Counter tombstone;

    /**
     * Consumer properties for the forwarder: the Kafka client properties the app uses (bootstrap
     * servers, security) plus its own group, read_committed, manual commits and byte-array
     * deserializers. Keys the forwarder owns override whatever {@code kafkaClientProps} says.
     */
    public static Map<String, Object> consumerProperties(Map<String, ?> kafkaClientProps, String groupId) {
        Map<String, Object> p = new HashMap<>(kafkaClientProps);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, Objects.requireNonNull(groupId, "groupId"));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    /** A forwarder with a new {@link KafkaConsumer} (see {@link #consumerProperties}); call {@link #start()}. */
    public static AlertForwarder create(Map<String, ?> kafkaClientProps, String groupId, String topic,
            List<AlertSink> sinks, MeterRegistry registry, Duration maxAge, Duration maxEventLag) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(kafkaClientProps, groupId));
        return new AlertForwarder(consumer, topic, sinks, registry, maxAge, maxEventLag, Clock.systemUTC());
    }

    public AlertForwarder(Consumer<byte[], byte[]> consumer, String topic, List<AlertSink> sinks,
            MeterRegistry registry, Duration maxAge, Duration maxEventLag, Clock clock) {
        this.maxEventLag = Objects.requireNonNull(maxEventLag, "maxEventLag");
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.sinks = List.copyOf(sinks);
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.forwarded = outcome(registry, "forwarded");
        this.stale = outcome(registry, "stale");
        this.unreadable = outcome(registry, "unreadable");
        this.tombstone = outcome(registry, "tombstone");
        this.thread = new Thread(this::run, "faultline-alert-forwarder");
        this.thread.setDaemon(true);
    }

    private static Counter outcome(MeterRegistry registry, String outcome) {
        return Counter.builder("faultline.alert.forwarder.records")
                .description("Records the alert forwarder read from the alerts topic, by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }

    /** Subscribes and starts forwarding on its own thread. */
    public synchronized void start() {
        if (started || closed) {
            throw new IllegalStateException(closed ? "closed" : "already started");
        }
        started = true;
        running = true;
        thread.start();
    }

    /** Whether the forwarding thread is alive (for a readiness or health detail). */
    public boolean alive() {
        return thread.isAlive();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic));
            while (running) {
                try {
                    pollOnce(POLL);
                } catch (WakeupException | InterruptException e) {
                    break;
                } catch (RuntimeException e) {
                    if (!running) {
                        break;
                    }
                    LOG.warn("alert forwarder: {}; continuing", SafeText.escape(e.toString(), 500));
                    waitQuietly(Duration.ofSeconds(1));
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                LOG.debug("alert forwarder: closing the consumer: {}", e.toString());
            }
        }
    }

    private void waitQuietly(Duration d) {
        synchronized (this) {
            if (!running) {
                return;
            }
            try {
                wait(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    /**
     * One poll: forwards every record to every sink, then commits. Package-private for tests,
     * which drive it with a {@code MockConsumer} on their own thread.
     *
     * @return the number of records read
     */
    int pollOnce(Duration timeout) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
        if (records.isEmpty()) {
            return 0;
        }
        for (ConsumerRecord<byte[], byte[]> r : records) {
            forward(r);
        }
        consumer.commitSync();
        return records.count();
    }

    private void forward(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            tombstone.increment();
            return;
        }
        Alert alert;
        try {
            alert = Alert.fromJson(r.value());
        } catch (IllegalArgumentException e) {
            unreadable.increment();
            LOG.debug("alert forwarder: skipping unreadable alert at {}-{}@{}: {}", r.topic(), r.partition(),
                    r.offset(), e.getMessage());
            return;
        }
        long emittedAt = emittedAt(r);
        // Absent on alerts written by a version before the header (a rolling upgrade): judged on emission alone.
        long ingestedAt = Alert.millisHeader(r.headers(), Alert.INGESTED_AT_HEADER);
        // Stale: emitted long ago (read again after an outage, a new group), or detected long after its log reached
        // Kafka (a catch-up replaying history). A log whose own clock is behind, but which arrived just now, passes.
        if (alert.firing() && ((emittedAt >= 0 && clock.millis() - emittedAt > maxAge.toMillis())
                || (ingestedAt >= 0 && emittedAt - ingestedAt > maxEventLag.toMillis()))) {
            stale.increment();
            return;
        }
        for (AlertSink sink : sinks) {
            sink.offer(alert);
        }
        forwarded.increment();
    }

    /**
     * When the alert was emitted: its {@link Alert#EMITTED_AT_HEADER}, else (records written before the header
     * existed) the record's timestamp, which is the log's event time.
     */
    private static long emittedAt(ConsumerRecord<byte[], byte[]> r) {
        long h = Alert.millisHeader(r.headers(), Alert.EMITTED_AT_HEADER);
        return h >= 0 ? h : r.timestamp();
    }

    /** Stops polling, commits, closes the consumer. Does not close the sinks (the app owns them). */
    @Override
    public void close() {
        boolean wasStarted;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            wasStarted = started;
            running = false;
            notifyAll();
        }
        if (!wasStarted) {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            return;
        }
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
