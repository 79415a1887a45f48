package dev.faultline.query;

import dev.faultline.ops.BoundedBody;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.state.HostInfo;

/**
 * GETs a query path from another Faultline instance. Bounded: a connect timeout, a request timeout
 * on the whole exchange, and a cap on the answer's size. Every request is marked as forwarded, by
 * the {@value #FORWARDED_PARAM} query parameter (what the receiving route checks: routes of the ops
 * server see no headers) and by the {@value #FORWARDED_HEADER} header (for proxies and access logs).
 */
final class PeerClient implements AutoCloseable {
    static final String FORWARDED_PARAM = "forwarded";
    static final String FORWARDED_HEADER = "X-Faultline-Forwarded";
    static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;

    /** What a peer answered, or {@code status == 0} when it did not answer in time or at all. */
    record Answer(int status, byte[] body) {
        static final Answer NONE = new Answer(0, new byte[0]);

        boolean ok() {
            return status == 200;
        }
    }

    private final HttpClient http;
    private final ExecutorService executor;
    private final Duration requestTimeout;
    private final String self;

    /** @param self this instance's advertised host:port, sent in the forwarded header */
    PeerClient(Duration connectTimeout, Duration requestTimeout, String self) {
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "faultline-query-client-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .executor(executor)
                .build();
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.self = Objects.requireNonNull(self, "self");
    }

    /** GETs {@code path?params&forwarded=1} from {@code host}; never completes exceptionally. */
    CompletableFuture<Answer> get(HostInfo host, String path, Map<String, String> params) {
        StringBuilder uri = new StringBuilder("http://").append(host.host()).append(':').append(host.port())
                .append(path).append('?');
        params.forEach((k, v) -> uri.append(encode(k)).append('=').append(encode(v)).append('&'));
        uri.append(FORWARDED_PARAM).append("=1");
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(uri.toString()))
                    .timeout(requestTimeout)
                    .header(FORWARDED_HEADER, self)
                    .header("Accept", "application/json")
                    .GET()
                    .build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(Answer.NONE);
        }
        // The body is collected without blocking a thread, and one byte past the bound cuts the exchange. A body
        // that breaks off (the peer died mid-answer) fails the exchange: half a document is no answer.
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request,
                info -> BoundedBody.whole(MAX_ANSWER_BYTES + 1));
        return exchange
                .thenApply(r -> r.body().length > MAX_ANSWER_BYTES ? Answer.NONE : new Answer(r.statusCode(), r.body()))
                // The request timeout covers the headers; this bounds reading the body too.
                .completeOnTimeout(Answer.NONE, requestTimeout.toMillis() * 2, java.util.concurrent.TimeUnit.MILLISECONDS)
                .exceptionally(e -> Answer.NONE)
                // A peer that stalls its body leaves an exchange open: cancel it, whatever the answer was.
                .whenComplete((answer, e) -> exchange.cancel(true));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
