package dev.faultline.generator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces the generator's records into Kafka at the profile's rate (plus the spike's rate while
 * the spike is on) until stopped or until its run time is over. Run it on its own thread; {@link
 * #stop()} from any other.
 *
 * <p>Pacing is by totals, not per-record sleeps: at each tick it sends whatever brings the count
 * up to {@code rate × elapsed}, so a slow send is caught up rather than lost, capped per tick so
 * a long stall does not turn into a flood.
 */
public final class ProducerLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ProducerLoop.class);
    private static final long TICK_MS = 20;
    private static final int MAX_PER_TICK = 5_000;

    private final Producer<byte[], byte[]> producer;
    private final LogGenerator generator;
    private final Clock clock;
    private final Duration runFor;
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong errorEvents = new AtomicLong();
    private final AtomicLong spikeRecords = new AtomicLong();
    private final AtomicLong badRecords = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();
    private final AtomicReference<Exception> lastFailure = new AtomicReference<>();
    private final AtomicReference<Instant> startedAt = new AtomicReference<>();
    private volatile boolean stopping;

    /**
     * @param producer  the producer to send with (the loop flushes it but does not close it)
     * @param generator the record source; its profile gives the rates and the spike
     * @param clock     the time source for pacing and for the records' times
     * @param runFor    stop by itself after this long; {@code null} runs until {@link #stop()}
     */
    public ProducerLoop(Producer<byte[], byte[]> producer, LogGenerator generator, Clock clock, Duration runFor) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.generator = Objects.requireNonNull(generator, "generator");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.runFor = runFor;
    }

    @Override
    public void run() {
        GeneratorProfile profile = generator.profile();
        GeneratorProfile.Spike spike = profile.spike();
        Instant start = clock.instant();
        startedAt.set(start);
        long normalSent = 0;
        long spikeSent = 0;
        try {
            while (!stopping && !Thread.currentThread().isInterrupted()) {
                Instant now = clock.instant();
                Duration since = Duration.between(start, now);
                if (runFor != null && since.compareTo(runFor) >= 0) {
                    break;
                }
                long normalDue = (long) (profile.ratePerSecond() * since.toNanos() / 1e9);
                int budget = MAX_PER_TICK;
                while (normalSent < normalDue && budget-- > 0) {
                    send(generator.next(now), false);
                    normalSent++;
                }
                normalSent = Math.max(normalSent, normalDue - MAX_PER_TICK); // drop what a stall made unreachable
                if (spike != null) {
                    long spikeDue = (long) (spike.ratePerSecond() * spike.elapsed(since).toNanos() / 1e9);
                    while (spikeSent < spikeDue && budget-- > 0) {
                        send(generator.spike(now), true);
                        spikeSent++;
                    }
                    spikeSent = Math.max(spikeSent, spikeDue - MAX_PER_TICK);
                }
                TimeUnit.MILLISECONDS.sleep(TICK_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            lastFailure.set(e);
            LOG.error("Generator stopped: {}", e.toString());
        } finally {
            try {
                producer.flush();
            } catch (RuntimeException e) {
                LOG.warn("Generator flush failed: {}", e.toString());
            }
            done.countDown();
        }
    }

    private void send(GeneratedRecord r, boolean spike) {
        producer.send(new ProducerRecord<>(r.topic(), null, null, r.key(), r.value()), (metadata, error) -> {
            if (error != null) {
                sendFailures.incrementAndGet();
                if (lastFailure.getAndSet(error) == null) {
                    LOG.warn("Generator send failed: {}", error.toString());
                }
            }
        });
        records.incrementAndGet();
        errorEvents.addAndGet(r.errors().size());
        if (spike) {
            spikeRecords.incrementAndGet();
        }
        if (r.bad()) {
            badRecords.incrementAndGet();
        }
    }

    /** Asks the loop to stop after the current tick; {@link #awaitStopped} waits for it. */
    public void stop() {
        stopping = true;
    }

    /** Waits until the loop has ended and flushed; returns whether it did within the timeout. */
    /** Whether the loop has ended (stopped, or failed: see {@link #lastFailure()}). */
    public boolean stopped() {
        return done.getCount() == 0;
    }

    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isDone() {
        return done.getCount() == 0;
    }

    /** Whether the spike is on right now (false without a spike or before the loop started). */
    public boolean spikeActive() {
        Instant s = startedAt.get();
        GeneratorProfile.Spike spike = generator.profile().spike();
        return s != null && spike != null && spike.active(Duration.between(s, clock.instant()));
    }

    /** Records handed to the producer (sent or failed). */
    public long records() {
        return records.get();
    }

    /** Error events in the records handed to the producer. */
    public long errorEvents() {
        return errorEvents.get();
    }

    public long spikeRecords() {
        return spikeRecords.get();
    }

    public long badRecords() {
        return badRecords.get();
    }

    public long sendFailures() {
        return sendFailures.get();
    }

    /** The first send failure, or a failure that ended the loop; {@code null} if none. */
    public Exception lastFailure() {
        return lastFailure.get();
    }
}
