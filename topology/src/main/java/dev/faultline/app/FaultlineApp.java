package dev.faultline.app;

import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.config.FaultlineConfig;
import dev.faultline.topology.FaultlineTopology;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Faultline instance: {@code KafkaStreams} over {@link FaultlineTopology}, with the
 * handlers wired. Start it, wait until it runs, close it; closing is idempotent and bounded.
 */
public final class FaultlineApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FaultlineApp.class);

    private final KafkaStreams streams;
    private final Object stateLock = new Object();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean failed;

    private FaultlineApp(Topology topology, Properties props) {
        this.streams = new KafkaStreams(topology, props);
        // A thread that died on an unexpected error is replaced; bad records never get here (they are dead-lettered).
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> {
            LOG.info("faultline streams state {} -> {}", before, now);
            if (now == KafkaStreams.State.ERROR) {
                failed = true;
            }
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                terminated.countDown();
            }
            synchronized (stateLock) {
                stateLock.notifyAll();
            }
        });
    }

    /** An app over {@code config} with a fixed enricher. Nothing connects until {@link #start()}. */
    public static FaultlineApp create(FaultlineConfig config, Enricher enricher) {
        return create(config, () -> enricher, new Properties());
    }

    /**
     * An app over {@code config}; {@code overrides} are applied last on top of
     * {@link FaultlineConfig#streamsProperties()} (tests: a state dir, short commit intervals).
     */
    public static FaultlineApp create(FaultlineConfig config, Supplier<Enricher> enricher, Properties overrides) {
        Objects.requireNonNull(config, "config");
        Properties props = config.streamsProperties();
        props.putAll(overrides);
        return new FaultlineApp(FaultlineTopology.build(config, enricher), props);
    }

    /** Starts processing (asynchronously). */
    public void start() {
        streams.start();
    }

    /**
     * Waits until the app is {@code RUNNING}. Returns {@code false} on timeout; throws
     * {@link IllegalStateException} if it failed or was closed instead.
     */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stateLock) {
            while (true) {
                KafkaStreams.State s = streams.state();
                if (s == KafkaStreams.State.RUNNING) {
                    return true;
                }
                if (!s.isRunningOrRebalancing() && s != KafkaStreams.State.CREATED) {
                    throw new IllegalStateException("faultline is " + s + ", not running");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                // Woken by the state listener; the bound only guards against a missed notification.
                TimeUnit.NANOSECONDS.timedWait(stateLock, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            }
        }
    }

    /** Blocks until the app has stopped (closed, or failed for good). */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /** Whether Kafka Streams reached {@code ERROR} (every thread gone). */
    public boolean failed() {
        return failed;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The underlying client, for metrics and interactive queries. */
    public KafkaStreams streams() {
        return streams;
    }

    /**
     * Closes within {@code timeout} (committing under exactly-once); returns whether it closed
     * cleanly in time. Later calls return {@code true} at once.
     */
    public boolean close(Duration timeout) {
        if (!closed.compareAndSet(false, true)) {
            return true;
        }
        boolean clean = streams.close(timeout);
        terminated.countDown();
        if (!clean) {
            LOG.warn("faultline did not close within {}", timeout);
        }
        return clean;
    }

    /** Closes with a 30s bound. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /** Registers a JVM shutdown hook that closes the app within {@code timeout} (SIGTERM, Ctrl-C, exit). */
    public Thread installShutdownHook(Duration timeout) {
        Thread hook = new Thread(() -> close(timeout), "faultline-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }
}
