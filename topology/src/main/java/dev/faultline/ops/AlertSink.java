package dev.faultline.ops;

/**
 * Somewhere alerts go: Alertmanager, a webhook. {@link #offer} never blocks and never throws for
 * delivery problems: a sink queues, batches and retries on its own thread, and drops (counting it)
 * what it cannot keep.
 */
public interface AlertSink extends AutoCloseable {
    /** A short, bounded name used as the {@code sink} metric tag, e.g. {@code alertmanager}. */
    String name();

    /**
     * Queues {@code alert} for delivery and returns at once. When the queue is full the oldest
     * queued alert is dropped. After {@link #close()} alerts are dropped.
     *
     * @return {@code false} when the alert was not queued (sink closed)
     */
    boolean offer(Alert alert);

    /** Alerts queued and not yet delivered (including a batch being retried). */
    int pending();

    /** Stops accepting alerts, tries to deliver what is queued for a bounded time, then stops. */
    @Override
    void close();
}
