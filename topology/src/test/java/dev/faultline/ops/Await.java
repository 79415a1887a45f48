package dev.faultline.ops;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a generous deadline passes (no fixed sleeps, no timing assertions). */
public final class Await {
    static final Duration DEADLINE = Duration.ofSeconds(30);

    private Await() {
    }

    public static void until(String what, BooleanSupplier condition) {
        until(what, DEADLINE, condition);
    }

    public static void until(String what, Duration deadline, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("not within " + deadline + ": " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
    }

    static <T> T value(String what, Supplier<T> supplier) {
        Object[] box = new Object[1];
        until(what, () -> (box[0] = supplier.get()) != null);
        @SuppressWarnings("unchecked")
        T t = (T) box[0];
        return t;
    }
}
