package dev.faultline.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery machinery shared by the HTTP sinks: a bounded in-memory queue (drop oldest when
 * full), one worker thread that takes up to {@code maxBatch} alerts per request, and retries with
 * exponential backoff and jitter on connection errors, timeouts, 5xx, 408 and 429. Any other 4xx is
 * a permanent rejection: logged once per status code, and the batch is re-sent alert by alert so
 * that one bad alert does not take good ones down with it.
 *
 * <p>Ordering: alerts are delivered in the order offered; a batch being retried blocks the ones
 * behind it (a resolve is never delivered before its firing). After the firing TTL its firing alerts are
 * given up (they have expired at the receiver, and newer sends of their series follow); resolved ones are
 * retried on. {@link #offer} only takes a short
 * lock: the Kafka consumer or stream thread that calls it never waits for the network.
 *
 * <p>Meters (tag {@code sink}): {@code faultline.alert.sink.sent}, {@code faultline.alert.sink.dropped}
 * (tag {@code reason}: queue-full, rejected, closed, error), {@code faultline.alert.sink.requests} (tag
 * {@code outcome}: success, client-error, server-error, io-error), {@code faultline.alert.sink.retries}
 * and the gauge {@code faultline.alert.sink.pending}.
 */
public abstract class HttpAlertSink implements AlertSink {
    private static final Logger LOG = LoggerFactory.getLogger(HttpAlertSink.class);
    private static final Pattern SINK_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,40}");
    /** How much of an error response's body is read, for the log. */
    private static final int MAX_ERROR_BODY = 4096;
    /** Not an HTTP status: the key under which an encoding failure is logged once. */
    private static final int UNENCODABLE = -1;

    private final String name;
    private final HttpSinkSettings settings;
    private final HttpClient client;
    private final Backoff backoff;
    private final MeterRegistry registry;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final ArrayDeque<Alert> queue = new ArrayDeque<>();
    private int inFlight;
    private boolean started;
    private boolean closed;
    private long closeDeadline;

    private final Thread worker;
    private final Set<Integer> loggedStatuses = ConcurrentHashMap.newKeySet();
    private volatile boolean failing;

    private final Counter sent;
    private final Counter droppedQueueFull;
    private final Counter droppedRejected;
    private final Counter droppedClosed;
    private final Counter droppedExpired;
    private final Counter droppedError;
    private final Counter retries;
    private final Counter reqSuccess;
    private final Counter reqClientError;
    private final Counter reqServerError;
    private final Counter reqIoError;
    private final Gauge pendingGauge;

    /**
     * @param name     the {@code sink} tag and thread name: lower-case letters, digits, '.', '_', '-'
     *                 (e.g. {@code alertmanager}, {@code alertmanager-1}, {@code webhook})
     * @param registry where the sink's meters go (e.g. {@code FaultlineMetrics.registry()})
     */
    protected HttpAlertSink(String name, HttpSinkSettings settings, MeterRegistry registry) {
        if (name == null || !SINK_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("sink name must match " + SINK_NAME.pattern());
        }
        this.name = name;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.backoff = new Backoff(settings.minBackoff(), settings.maxBackoff(),
                () -> ThreadLocalRandom.current().nextDouble());

        this.sent = counter("faultline.alert.sink.sent", "Alerts a sink delivered (2xx)", Map.of());
        this.droppedQueueFull = dropped("queue-full");
        this.droppedRejected = dropped("rejected");
        this.droppedClosed = dropped("closed");
        this.droppedExpired = dropped("expired");
        this.droppedError = dropped("error");
        this.retries = counter("faultline.alert.sink.retries", "Requests a sink will retry after a failure",
                Map.of());
        this.reqSuccess = request("success");
        this.reqClientError = request("client-error");
        this.reqServerError = request("server-error");
        this.reqIoError = request("io-error");
        this.pendingGauge = Gauge.builder("faultline.alert.sink.pending", this, HttpAlertSink::pending)
                .description("Alerts queued in a sink, including a batch being retried")
                .tag("sink", name)
                .register(registry);

        this.worker = new Thread(this::run, "faultline-sink-" + name);
        this.worker.setDaemon(true);
    }

    private Counter dropped(String reason) {
        return counter("faultline.alert.sink.dropped", "Alerts a sink gave up on, by reason", Map.of("reason", reason));
    }

    private Counter request(String outcome) {
        return counter("faultline.alert.sink.requests", "HTTP requests a sink made, by outcome",
                Map.of("outcome", outcome));
    }

    private Counter counter(String meter, String description, Map<String, String> tags) {
        Counter.Builder b = Counter.builder(meter).description(description).tag("sink", name);
        tags.forEach(b::tag);
        return b.register(registry);
    }

    @Override
    public final String name() {
        return name;
    }

    protected final HttpSinkSettings settings() {
        return settings;
    }

    /** Where batches are POSTed. */
    protected abstract URI endpoint();

    /** Alerts per request; at most {@link HttpSinkSettings#maxBatch()}. */
    protected int batchLimit() {
        return settings.maxBatch();
    }

    /** The request body for {@code batch} (called for every attempt, so it may use the current time). */
    protected abstract byte[] encode(List<Alert> batch);

    @Override
    public boolean offer(Alert alert) {
        Objects.requireNonNull(alert, "alert");
        lock.lock();
        try {
            if (closed) {
                droppedClosed.increment();
                return false;
            }
            if (queue.size() >= settings.queueCapacity()) {
                queue.pollFirst();
                droppedQueueFull.increment();
            }
            queue.addLast(alert);
            if (!started) { // started lazily: never from a constructor, and no thread for an unused sink
                started = true;
                worker.start();
            }
            wake.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int pending() {
        lock.lock();
        try {
            return queue.size() + inFlight;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closeDeadline = System.nanoTime() + settings.closeTimeout().toNanos();
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            // the worker stops taking batches at the deadline; a request still running then is abandoned
            worker.join(settings.closeTimeout().toMillis() + 100);
            if (worker.isAlive()) {
                worker.interrupt();
                worker.join(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.interrupt();
        }
        registry.remove(pendingGauge);
    }

    private void run() {
        try {
            List<Alert> batch;
            while ((batch = nextBatch()) != null) {
                try {
                    deliver(batch);
                } catch (RuntimeException e) {
                    // A bug must cost this batch, not the sink: offer() would go on queueing for a dead worker.
                    droppedError.increment(batch.size());
                    LOG.error("alert sink {} dropped {} alert(s) after an unexpected error", name, batch.size(),
                            SafeText.forLog(e));
                }
                lock.lock();
                try {
                    inFlight = 0;
                    wake.signalAll(); // awaitIdle
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("alert sink {} stopped after an unexpected error", name, SafeText.forLog(e));
        } finally {
            lock.lock();
            try {
                int lost = queue.size() + inFlight;
                queue.clear();
                inFlight = 0;
                wake.signalAll();
                if (lost > 0) {
                    droppedClosed.increment(lost);
                    LOG.warn("alert sink {} closed with {} alerts undelivered", name, lost);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** The next batch, waiting for one; {@code null} when closed and empty or past the close deadline. */
    private List<Alert> nextBatch() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (closed) {
                    return null;
                }
                wake.await();
            }
            if (closed && System.nanoTime() - closeDeadline >= 0) {
                return null;
            }
            int n = Math.min(queue.size(), Math.max(1, Math.min(batchLimit(), settings.maxBatch())));
            List<Alert> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                batch.add(queue.pollFirst());
            }
            inFlight = n;
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private enum Outcome { OK, RETRY, REJECTED }

    private void deliver(List<Alert> batch) throws InterruptedException {
        long firstAttempt = System.nanoTime();
        for (int attempt = 0; ; attempt++) {
            Outcome outcome = send(batch);
            if (outcome == Outcome.OK) {
                sent.increment(batch.size());
                if (failing) {
                    failing = false;
                    LOG.info("alert sink {} delivers again", name);
                }
                return;
            }
            if (outcome == Outcome.REJECTED) {
                if (batch.size() > 1) {
                    for (Alert single : batch) {
                        // find the bad one(s), which are not retried; a good one that meets a transient failure
                        // now is delivered like any batch of one, with retries
                        deliver(List.of(single));
                    }
                } else {
                    droppedRejected.increment(batch.size());
                }
                return;
            }
            if (System.nanoTime() - firstAttempt >= settings.firingTtl().toNanos()) {
                // Retried for as long as a receiver keeps a firing alert: the batch's firing alerts have expired
                // there by now, newer sends of their series follow, and a receiver that fails on one of them must
                // not stop all delivery, so they are given up. Resolved ones never expire at a receiver (a webhook
                // would keep the incident open) and are retried on, in order, whatever it takes.
                List<Alert> resolved = batch.stream().filter(a -> !a.firing()).toList();
                if (resolved.size() < batch.size()) {
                    droppedExpired.increment(batch.size() - resolved.size());
                    LOG.warn("alert sink {}: giving up {} firing alert(s) after retrying for {}", name,
                            batch.size() - resolved.size(), settings.firingTtl());
                    if (resolved.isEmpty()) {
                        return;
                    }
                    lock.lock();
                    try {
                        inFlight = resolved.size(); // the given-up ones are neither pending nor lost at a close
                    } finally {
                        lock.unlock();
                    }
                    batch = resolved;
                }
            }
            retries.increment();
            if (!failing) {
                failing = true;
                LOG.warn("alert sink {} cannot deliver to {}; retrying with backoff", name,
                        HttpSinkSettings.redacted(endpoint()));
            }
            if (!waitBeforeRetry(backoff.delayNanos(attempt))) {
                droppedClosed.increment(batch.size());
                return;
            }
        }
    }

    /** Waits {@code nanos}; {@code false} when the sink closed and its close deadline has passed. */
    private boolean waitBeforeRetry(long nanos) throws InterruptedException {
        lock.lock();
        try {
            long end = System.nanoTime() + nanos;
            while (true) {
                long now = System.nanoTime();
                if (closed && now - closeDeadline >= 0) {
                    return false;
                }
                long left = end - now;
                if (left <= 0) {
                    return true;
                }
                if (closed) {
                    left = Math.min(left, closeDeadline - now);
                }
                wake.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    private Outcome send(List<Alert> batch) throws InterruptedException {
        byte[] body;
        try {
            body = encode(batch);
        } catch (RuntimeException e) {
            // An alert this sink cannot write (a time beyond what its format holds, say) is rejected like a 4xx.
            if (loggedStatuses.add(UNENCODABLE)) {
                LOG.warn("alert sink {} cannot encode {} alert(s): {} (dropped; logged once)", name, batch.size(),
                        SafeText.forLog(e));
            }
            return Outcome.REJECTED;
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(endpoint())
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "faultline")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        settings.headers().forEach(req::header);
        HttpResponse<byte[]> resp;
        // A 2xx body is not read at all, an error body only as far as the log line needs.
        CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(req.build(),
                info -> BoundedBody.upTo(info.statusCode() >= 200 && info.statusCode() < 300 ? 0 : MAX_ERROR_BODY));
        try {
            // The request timeout ends at the response's headers; the body, if it stalls, is bounded here.
            resp = exchange.get(settings.requestTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            exchange.cancel(true);
            reqIoError.increment();
            LOG.debug("alert sink {}: {}", name, (e instanceof ExecutionException ? e.getCause() : e).getClass()
                    .getSimpleName());
            return Outcome.RETRY;
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        }
        int status = resp.statusCode();
        if (status >= 200 && status < 300) {
            reqSuccess.increment();
            return Outcome.OK;
        }
        if (status >= 500 || status == 408 || status == 429) {
            reqServerError.increment();
            return Outcome.RETRY;
        }
        reqClientError.increment();
        if (loggedStatuses.add(status)) {
            String answer = resp.body() == null ? "" : new String(resp.body(), StandardCharsets.UTF_8);
            LOG.warn("alert sink {} rejected {} alert(s) with HTTP {}: {} (dropped; logged once per status)", name,
                    batch.size(), status, SafeText.escape(answer, 300));
        }
        return Outcome.REJECTED;
    }

    /** Waits until nothing is pending or the timeout passes (for tests and orderly shutdown). */
    public boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
        long end = System.nanoTime() + unit.toNanos(timeout);
        lock.lock();
        try {
            while (queue.size() + inFlight > 0) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wake.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
