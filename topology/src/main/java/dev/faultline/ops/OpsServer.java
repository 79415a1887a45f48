package dev.faultline.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations HTTP endpoint: {@code GET /metrics} (Prometheus text format),
 * {@code GET /health/live}, {@code GET /health/ready}, and routes other components mount (the
 * query API under {@code /api/…}).
 *
 * <p>Safe by default: binds to {@code 127.0.0.1} unless told otherwise; serves no files and no
 * configuration; answers unknown paths with 404 and wrong methods with 405 (small JSON bodies that
 * never echo the request); ignores request bodies (the JDK server drains at most 64 KiB, then drops
 * the connection); rejects over-long URIs; handles requests on a small fixed pool with a bounded
 * queue (when it is full the accepting thread runs the request itself, which slows accepting
 * instead of queueing without bound); closes a connection whose request head has not arrived within
 * {@value #REQUEST_HEAD_SECONDS} s or whose response has not gone out within {@value #RESPONSE_SECONDS} s (see
 * {@link #applyServerLimits()}); never puts exception details into a response.
 */
public final class OpsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 9400;

    static final int MAX_URI_CHARS = 4096;
    static final int MAX_QUERY_PARAMS = 32;
    private static final Pattern MOUNT_PATH = Pattern.compile("/[A-Za-z0-9._~/-]*");
    private static final Set<String> GET_HEAD = Collections.unmodifiableSet(new TreeSet<>(Set.of("GET", "HEAD")));
    private static final Set<String> RESERVED = Set.of("/metrics", "/health/live", "/health/ready");
    static final int REQUEST_HEAD_SECONDS = 5;
    static final int RESPONSE_SECONDS = 60;

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final FaultlineMetrics metrics;
    private final ReadinessCheck readiness;
    private final ReadinessCheck liveness;
    private final Map<String, Mounted> exact = new ConcurrentHashMap<>();
    private final Map<String, Mounted> prefixes = new ConcurrentHashMap<>();
    private volatile boolean started;
    private volatile boolean closing;
    private final AtomicInteger active = new AtomicInteger();

    private record Mounted(Set<String> methods, OpsRoute route) {
    }

    private OpsServer(Builder b) throws IOException {
        this.metrics = b.metrics;
        this.readiness = b.readiness;
        this.liveness = b.liveness;
        InetAddress address = InetAddress.getByName(b.host);
        if (!address.isLoopbackAddress()) {
            LOG.info("ops server binds to non-loopback address {}: make sure only trusted networks reach it", b.host);
        }
        applyServerLimits();
        this.server = HttpServer.create(new InetSocketAddress(address, b.port), 32);
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "faultline-ops-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.executor = new ThreadPoolExecutor(b.threads, b.threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(b.queue), threads, new ThreadPoolExecutor.CallerRunsPolicy());
        this.executor.allowCoreThreadTimeOut(true);
        this.server.setExecutor(executor);
        this.server.createContext("/", this::dispatch);
        b.routes.forEach((path, m) -> mount(path, m.methods(), m.route()));
    }

    /**
     * The JDK server reads a request's head on a pool thread and, by default, waits for it without end: a few
     * clients that never finish theirs (a port scanner, a half-open connection through a proxy) would hold every
     * thread, {@code /health/live} included, for as long as they stay connected. Its only knobs are system
     * properties, read once, when the first server of the JVM is made; a value the operator set stays. Public for
     * other HTTP servers in the same JVM (tests' receivers) that may be made first.
     */
    public static void applyServerLimits() {
        System.getProperties().putIfAbsent("sun.net.httpserver.maxReqTime", Integer.toString(REQUEST_HEAD_SECONDS));
        System.getProperties().putIfAbsent("sun.net.httpserver.maxRspTime", Integer.toString(RESPONSE_SECONDS));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts serving; returns this. */
    public synchronized OpsServer start() {
        if (!started) {
            server.start();
            started = true;
            LOG.info("ops server listening on {}:{}", server.getAddress().getHostString(), port());
        }
        return this;
    }

    /** The bound port (the ephemeral one when built with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The bound address as host:port, e.g. {@code 127.0.0.1:9400}. */
    public String address() {
        return server.getAddress().getAddress().getHostAddress() + ":" + port();
    }

    /** Mounts a GET (and HEAD) route; see {@link #mount(String, Set, OpsRoute)}. */
    public OpsServer mount(String path, OpsRoute route) {
        return mount(path, GET_HEAD, route);
    }

    /**
     * Mounts {@code route} at {@code path}: a path ending in {@code /} is a prefix (the longest
     * matching prefix wins), any other path matches exactly. May be called before or after
     * {@link #start()}; a later mount at the same path replaces the earlier one.
     *
     * @param methods allowed methods (GET implies HEAD); others get 405
     * @throws IllegalArgumentException for an invalid path or one of the built-in endpoints
     */
    public OpsServer mount(String path, Set<String> methods, OpsRoute route) {
        Objects.requireNonNull(route, "route");
        if (path == null || !MOUNT_PATH.matcher(path).matches() || path.contains("//") || path.contains("/../")
                || path.endsWith("/..") || path.equals("/")) {
            throw new IllegalArgumentException("invalid mount path");
        }
        if (RESERVED.contains(path) || path.equals("/health/")) {
            throw new IllegalArgumentException("reserved path: " + path);
        }
        Set<String> m = new TreeSet<>();
        for (String method : methods) {
            m.add(method.toUpperCase(Locale.ROOT));
        }
        if (m.contains("GET")) {
            m.add("HEAD");
        }
        if (m.isEmpty()) {
            throw new IllegalArgumentException("no methods");
        }
        Mounted mounted = new Mounted(Collections.unmodifiableSet(m), route);
        (path.endsWith("/") ? prefixes : exact).put(path, mounted);
        return this;
    }

    private void dispatch(HttpExchange exchange) {
        active.incrementAndGet();
        try (exchange) {
            Answer response;
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String rawPath = exchange.getRequestURI().getRawPath();
            String rawQuery = exchange.getRequestURI().getRawQuery();
            if (closing) {
                response = Answer.of(OpsResponse.error(503, "shutting down"));
            } else if (rawPath == null || rawPath.length() + (rawQuery == null ? 0 : rawQuery.length()) > MAX_URI_CHARS) {
                response = Answer.of(OpsResponse.error(414, "uri too long"));
            } else {
                response = route(method, rawPath, rawQuery);
            }
            send(exchange, method, response);
        } catch (IOException e) {
            LOG.debug("ops server: client went away: {}", e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            LOG.warn("ops server: failed to answer a request", SafeText.forLog(e));
        } finally {
            active.decrementAndGet();
        }
    }

    private Answer route(String method, String path, String rawQuery) {
        switch (path) {
            case "/metrics":
                return allowed(method, GET_HEAD) ? Answer.of(metrics()) : methodNotAllowed(GET_HEAD);
            case "/health/live":
                return allowed(method, GET_HEAD) ? Answer.of(health(liveness, "live")) : methodNotAllowed(GET_HEAD);
            case "/health/ready":
                return allowed(method, GET_HEAD) ? Answer.of(health(readiness, "ready")) : methodNotAllowed(GET_HEAD);
            default:
                break;
        }
        Mounted m = exact.get(path);
        if (m == null) {
            m = longestPrefix(path);
        }
        if (m == null) {
            return Answer.of(OpsResponse.error(404, "not found"));
        }
        if (!m.methods().contains(method)) {
            return methodNotAllowed(m.methods());
        }
        try {
            OpsResponse r = m.route().handle(new OpsRequest(method, path, parseQuery(rawQuery)));
            return Answer.of(r == null ? OpsResponse.error(404, "not found") : r);
        } catch (IllegalArgumentException e) {
            return Answer.of(OpsResponse.error(400, "bad request"));
        } catch (Exception e) {
            LOG.warn("ops server: route {} failed: {}", SafeText.escape(path, 200), SafeText.escape(e.toString(), 300));
            return Answer.of(OpsResponse.error(500, "internal error"));
        }
    }

    private Mounted longestPrefix(String path) {
        Mounted best = null;
        int bestLen = -1;
        for (Map.Entry<String, Mounted> e : prefixes.entrySet()) {
            String prefix = e.getKey();
            boolean matches = path.startsWith(prefix) || path.equals(prefix.substring(0, prefix.length() - 1));
            if (matches && prefix.length() > bestLen) {
                best = e.getValue();
                bestLen = prefix.length();
            }
        }
        return best;
    }

    private static boolean allowed(String method, Set<String> methods) {
        return methods.contains(method);
    }

    private static Answer methodNotAllowed(Set<String> methods) {
        return new Answer(OpsResponse.error(405, "method not allowed"), String.join(", ", methods));
    }

    /** A response plus, for 405, the Allow header: kept out of {@link OpsResponse} so routes cannot set headers. */
    private record Answer(OpsResponse response, String allow) {
        static Answer of(OpsResponse response) {
            return new Answer(response, null);
        }
    }

    private OpsResponse metrics() {
        if (metrics == null || !metrics.scrapable()) {
            return OpsResponse.error(404, "not found");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            metrics.scrape(out);
        } catch (IOException | RuntimeException e) {
            LOG.warn("ops server: scrape failed: {}", e.toString());
            return OpsResponse.error(500, "internal error");
        }
        return new OpsResponse(200, FaultlineMetrics.PROMETHEUS_TEXT_CONTENT_TYPE, out.toByteArray());
    }

    private static OpsResponse health(ReadinessCheck check, String what) {
        Readiness r;
        try {
            r = check.check();
        } catch (RuntimeException e) {
            r = Readiness.down("check failed");
        }
        if (r != null && r.ready()) {
            return OpsResponse.json(200, toJson(Map.of("status", what)));
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("status", "not " + what);
        body.put("reason", r == null ? "unknown" : r.reason());
        return OpsResponse.json(503, toJson(body));
    }

    private static void send(HttpExchange exchange, String method, Answer answer) throws IOException {
        OpsResponse response = answer.response();
        Headers h = exchange.getResponseHeaders();
        if (answer.allow() != null) {
            h.set("Allow", answer.allow());
        }
        h.set("Content-Type", response.contentType());
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Cache-Control", "no-store");
        byte[] body = response.body();
        if ("HEAD".equals(method)) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }

    static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        int params = 0;
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            if (++params > MAX_QUERY_PARAMS) {
                throw new IllegalArgumentException("too many query parameters");
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Answers 503 to new requests, gives running ones up to a second, then stops the socket and the pool. */
    @Override
    public synchronized void close() {
        closing = true;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (active.get() > 0 && System.nanoTime() - end < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        // stop(0): HttpServer.stop(n) waits the full n seconds even when idle; we waited above
        server.stop(0);
        started = false;
        executor.shutdown();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }

    /** Configuration of an {@link OpsServer}. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private int threads = 2;
        private int queue = 32;
        private FaultlineMetrics metrics;
        private ReadinessCheck readiness = () -> Readiness.down("no readiness check configured");
        private ReadinessCheck liveness = ReadinessCheck.always();
        private final Map<String, Mounted> routes = new LinkedHashMap<>();

        private Builder() {
        }

        /** Address to bind; default {@value OpsServer#DEFAULT_HOST}. Use {@code 0.0.0.0} only behind a network policy. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** Port to bind; default {@value OpsServer#DEFAULT_PORT}; 0 picks a free one (tests). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535");
            }
            this.port = port;
            return this;
        }

        /** Request threads (default 2) and queued requests beyond them (default 32). */
        public Builder threads(int threads, int queue) {
            if (threads < 1 || threads > 16 || queue < 1 || queue > 1024) {
                throw new IllegalArgumentException("threads 1..16, queue 1..1024");
            }
            this.threads = threads;
            this.queue = queue;
            return this;
        }

        /** What {@code /metrics} serves; without it {@code /metrics} is 404. */
        public Builder metrics(FaultlineMetrics metrics) {
            this.metrics = metrics;
            return this;
        }

        /** Decides {@code /health/ready}; default: never ready. */
        public Builder readiness(ReadinessCheck check) {
            this.readiness = Objects.requireNonNull(check, "check");
            return this;
        }

        /** Decides {@code /health/live}; default: live while the process answers. */
        public Builder liveness(ReadinessCheck check) {
            this.liveness = Objects.requireNonNull(check, "check");
            return this;
        }

        /** {@link OpsServer#mount(String, OpsRoute)} before building. */
        public Builder route(String path, OpsRoute route) {
            routes.put(path, new Mounted(GET_HEAD, route));
            return this;
        }

        /** Binds the socket (so the port is known) without serving yet; call {@link OpsServer#start()}. */
        public OpsServer build() throws IOException {
            return new OpsServer(this);
        }
    }
}
