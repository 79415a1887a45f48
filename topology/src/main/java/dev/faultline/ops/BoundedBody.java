package dev.faultline.ops;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * An HTTP response body read without blocking a thread and only up to a bound: once it has {@code max} bytes
 * it cancels the exchange, so an endless body costs no memory; with 0 it completes at the headers. What was
 * read when the body is cut is its value; when the body fails (the peer went away mid-answer), what was read is
 * its value for {@link #upTo} (a receiver's error text, for a log line) and the body fails for {@link #whole}
 * (an answer to pass on, which half a document is not). Pair it with a deadline on the exchange, which also
 * bounds a body that stalls.
 */
public final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int max;
    private final boolean partialOnError;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private Flow.Subscription subscription;

    private BoundedBody(int max, boolean partialOnError) {
        if (max < 0) {
            throw new IllegalArgumentException("max must not be negative");
        }
        this.max = max;
        this.partialOnError = partialOnError;
    }

    /** At most {@code max} bytes of the body; what arrived if it breaks off. */
    public static HttpResponse.BodySubscriber<byte[]> upTo(int max) {
        return new BoundedBody(max, true);
    }

    /** At most {@code max} bytes of the body; fails if the body breaks off before its end. */
    public static HttpResponse.BodySubscriber<byte[]> whole(int max) {
        return new BoundedBody(max, false);
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (max == 0) {
            s.cancel();
            finish();
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        for (ByteBuffer b : items) {
            int n = Math.min(b.remaining(), max - bytes.size());
            byte[] a = new byte[n];
            b.get(a);
            bytes.write(a, 0, n);
        }
        if (bytes.size() >= max) {
            subscription.cancel();
            finish();
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onError(Throwable t) {
        if (partialOnError) {
            finish();
        } else {
            body.completeExceptionally(t);
        }
    }

    @Override
    public void onComplete() {
        finish();
    }

    private void finish() {
        body.complete(bytes.toByteArray());
    }
}
