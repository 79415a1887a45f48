package dev.faultline.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A loopback HTTP receiver for sink tests: records every request and answers from a script of
 * status codes (then 200), or from a function of the body. It can be bound without serving (so
 * connections hang until it is started: "down, then up") and can hold the first request until
 * released (to pile alerts up behind an in-flight batch).
 */
final class FakeHttpServer implements AutoCloseable {
    /** Scripted answer: close the connection without a response. */
    static final int DROP = -1;

    record Request(String method, String path, Map<String, List<String>> headers, String body) {
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();
    private volatile Function<String, Integer> byBody;
    private volatile CountDownLatch holdFirst;
    private volatile CountDownLatch firstArrived;
    private boolean started;

    private FakeHttpServer() throws IOException {
        OpsServer.applyServerLimits(); // the JDK reads them at the JVM's first server, which may be this one
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
    }

    /** Bound and serving. */
    static FakeHttpServer started() throws IOException {
        FakeHttpServer s = new FakeHttpServer();
        s.start();
        return s;
    }

    /** Bound but not serving yet: clients connect and then time out. */
    static FakeHttpServer boundOnly() throws IOException {
        return new FakeHttpServer();
    }

    synchronized void start() {
        if (!started) {
            server.start();
            started = true;
        }
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers the next requests with these statuses ({@link #DROP} = hang up), then 200. */
    FakeHttpServer respond(Integer... statuses) {
        script.addAll(List.of(statuses));
        return this;
    }

    /** Answers by looking at the body (overrides the script). */
    FakeHttpServer respondBy(Function<String, Integer> f) {
        byBody = f;
        return this;
    }

    /** Holds the first request (before answering) until {@link #release()}; {@link #awaitFirst()} waits for it. */
    FakeHttpServer holdFirstRequest() {
        holdFirst = new CountDownLatch(1);
        firstArrived = new CountDownLatch(1);
        return this;
    }

    void awaitFirst() throws InterruptedException {
        if (!firstArrived.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("no request arrived");
        }
    }

    void release() {
        holdFirst.countDown();
    }

    /** The next recorded request, waiting up to 30 s. */
    Request next() throws InterruptedException {
        Request r = requests.poll(30, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no request within 30 s");
        }
        return r;
    }

    private void handle(HttpExchange ex) throws IOException {
        String body;
        try (InputStream in = ex.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                Map.copyOf(ex.getRequestHeaders()), body));
        CountDownLatch arrived = firstArrived;
        CountDownLatch hold = holdFirst;
        if (arrived != null && arrived.getCount() > 0) {
            arrived.countDown();
            try {
                hold.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Function<String, Integer> f = byBody;
        Integer status = f != null ? f.apply(body) : script.poll();
        int code = status == null ? 200 : status;
        if (code == DROP) {
            ex.close(); // no status line: the client sees the connection end
            return;
        }
        byte[] answer = code >= 400 ? "{\"error\":\"scripted\"}".getBytes(StandardCharsets.UTF_8) : new byte[0];
        ex.sendResponseHeaders(code, answer.length == 0 ? -1 : answer.length);
        if (answer.length > 0) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(answer);
            }
        }
        ex.close();
    }

    @Override
    public void close() {
        if (holdFirst != null) {
            holdFirst.countDown();
        }
        server.stop(0);
        pool.shutdownNow();
    }
}
