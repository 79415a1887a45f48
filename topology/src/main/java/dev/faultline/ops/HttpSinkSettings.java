package dev.faultline.ops;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How an HTTP alert sink delivers.
 *
 * @param url            where to POST (Alertmanager: its base URL, e.g. {@code http://127.0.0.1:9093},
 *                       or the full {@code …/api/v2/alerts})
 * @param queueCapacity  alerts held in memory; beyond it the oldest is dropped
 * @param maxBatch       alerts per request (a webhook sends one per request regardless)
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout whole-request timeout
 * @param minBackoff     first retry delay (before jitter)
 * @param maxBackoff     retry delay cap
 * @param closeTimeout   how long {@code close()} keeps delivering what is queued
 * @param firingTtl      Alertmanager only: {@code endsAt} given to firing alerts, so that an alert
 *                       Faultline stops re-sending (crash, lost resolve) expires by itself;
 *                       must exceed the longest gap between two sends of one firing alert (the
 *                       config checks repeat-interval + window + resolve-hold-down)
 * @param headers        extra request headers (e.g. {@code Authorization}); never logged or exposed
 */
public record HttpSinkSettings(URI url, int queueCapacity, int maxBatch, Duration connectTimeout,
        Duration requestTimeout, Duration minBackoff, Duration maxBackoff, Duration closeTimeout, Duration firingTtl,
        Map<String, String> headers) {

    public HttpSinkSettings {
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("alert sink url must be http or https");
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("alert sink url needs a host");
        }
        if (queueCapacity < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("queueCapacity and maxBatch must be positive");
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        requirePositive(minBackoff, "minBackoff");
        requirePositive(maxBackoff, "maxBackoff");
        if (maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must be >= minBackoff");
        }
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        requirePositive(firingTtl, "firingTtl");
        headers = Map.copyOf(new TreeMap<>(headers));
    }

    /** Production defaults: 10 000 alerts queued, batches of 64, 1 s → 60 s backoff, 20 min firing TTL. */
    public static HttpSinkSettings defaults(URI url) {
        return new HttpSinkSettings(url, 10_000, 64, Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofMinutes(20), Map.of());
    }

    public HttpSinkSettings withQueueCapacity(int capacity) {
        return new HttpSinkSettings(url, capacity, maxBatch, connectTimeout, requestTimeout, minBackoff, maxBackoff,
                closeTimeout, firingTtl, headers);
    }

    public HttpSinkSettings withMaxBatch(int batch) {
        return new HttpSinkSettings(url, queueCapacity, batch, connectTimeout, requestTimeout, minBackoff, maxBackoff,
                closeTimeout, firingTtl, headers);
    }

    public HttpSinkSettings withBackoff(Duration min, Duration max) {
        return new HttpSinkSettings(url, queueCapacity, maxBatch, connectTimeout, requestTimeout, min, max,
                closeTimeout, firingTtl, headers);
    }

    public HttpSinkSettings withCloseTimeout(Duration timeout) {
        return new HttpSinkSettings(url, queueCapacity, maxBatch, connectTimeout, requestTimeout, minBackoff,
                maxBackoff, timeout, firingTtl, headers);
    }

    public HttpSinkSettings withFiringTtl(Duration ttl) {
        return new HttpSinkSettings(url, queueCapacity, maxBatch, connectTimeout, requestTimeout, minBackoff,
                maxBackoff, closeTimeout, ttl, headers);
    }

    public HttpSinkSettings withHeaders(Map<String, String> extra) {
        return new HttpSinkSettings(url, queueCapacity, maxBatch, connectTimeout, requestTimeout, minBackoff,
                maxBackoff, closeTimeout, firingTtl, extra);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    /** Never prints header values (they may hold credentials) nor the URL's user info or query. */
    @Override
    public String toString() {
        return "HttpSinkSettings[url=" + redacted(url) + ", queueCapacity=" + queueCapacity + ", maxBatch=" + maxBatch
                + ", headers=" + headers.keySet() + "]";
    }

    /** scheme://host:port/path, without user info, query or fragment. */
    static String redacted(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "")
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }
}
