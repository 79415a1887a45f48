package dev.faultline.app;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * What to do when a stream thread dies: replace it, unless threads keep dying. A failure that recurs on every
 * retry (a record whose output the broker refuses, a bug one record triggers) would otherwise be replayed forever
 * while its partition stalls and the app looks healthy; past {@link #MAX_FAILURES} within {@link #WINDOW} the
 * client shuts down instead, so the app exits non-zero and whatever runs it sees and restarts it.
 */
final class ThreadFailures {
    static final int MAX_FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(10);

    /** Monotonic times (ns) of the failures within the window, oldest first. */
    private final Deque<Long> recent = new ArrayDeque<>();

    synchronized StreamThreadExceptionResponse onFailure(long nowNanos) {
        while (!recent.isEmpty() && nowNanos - recent.peekFirst() >= WINDOW.toNanos()) {
            recent.pollFirst();
        }
        recent.addLast(nowNanos);
        return recent.size() > MAX_FAILURES ? StreamThreadExceptionResponse.SHUTDOWN_CLIENT
                : StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
