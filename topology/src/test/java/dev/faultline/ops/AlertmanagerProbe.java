package dev.faultline.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * End-to-end probe for {@code scripts/e2e/alertmanager.sh}: pushes a firing alert through
 * {@link AlertmanagerSink} to a real Alertmanager, checks through Alertmanager's own
 * {@code GET /api/v2/alerts} that it is there with the right labels and (escaped) annotations,
 * pushes it resolved and checks it is no longer active. Exit status 0 on success, 1 on failure.
 *
 * <p>Usage: {@code AlertmanagerProbe http://127.0.0.1:PORT}
 */
public final class AlertmanagerProbe {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private AlertmanagerProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: AlertmanagerProbe <alertmanager base url>");
            System.exit(2);
        }
        int status;
        try {
            status = run(URI.create(args[0]));
        } catch (Exception e) {
            System.err.println("FAIL: " + e);
            status = 1;
        }
        System.exit(status);
    }

    static int run(URI base) throws Exception {
        String probeId = "e2e-" + Long.toHexString(System.nanoTime());
        Map<String, String> labels = new TreeMap<>(Map.of(
                "alertname", "FaultlineTransientErrorSpike",
                "service", probeId,
                "catalog", "vault-rpc",
                "code", "VAULT_LOCKED",
                "severity", "warning"));
        Map<String, String> annotations = Map.of(
                "summary", "spike of transient errors VAULT_LOCKED (vault-rpc) in " + probeId,
                "description", "42 occurrences\r\nforged-line \u001b[31mred\u001b[0m");
        Instant startsAt = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        Alert firing = Alert.of(labels, annotations, startsAt, null, Alert.FIRING);

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        HttpSinkSettings settings = HttpSinkSettings.defaults(base)
                .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(2));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        try (AlertmanagerSink sink = new AlertmanagerSink(settings, registry)) {
            sink.offer(firing);
            check(sink.awaitIdle(DEADLINE.toSeconds(), TimeUnit.SECONDS), "firing alert delivered");
            check(sent(registry) == 1, "sink counted 1 delivered alert, was " + sent(registry));
            System.out.println("pushed firing alert " + labels);

            JsonNode found = poll(http, base, probeId, true);
            check(found != null, "Alertmanager lists the firing alert");
            Map<String, String> gotLabels = strings(found.path("labels"));
            check(gotLabels.equals(labels), "labels match: " + gotLabels);
            Map<String, String> gotAnnotations = strings(found.path("annotations"));
            check(gotAnnotations.get("summary").equals(annotations.get("summary")), "summary annotation matches");
            String description = gotAnnotations.get("description");
            check("42 occurrences\\r\\nforged-line \\u001b[31mred\\u001b[0m".equals(description),
                    "description has its control characters escaped: " + description);
            check(Instant.parse(found.path("startsAt").asText()).equals(startsAt), "startsAt matches");
            check(Instant.parse(found.path("endsAt").asText()).isAfter(Instant.now()), "endsAt is in the future");
            String state = found.path("status").path("state").asText();
            check(state.equals("active") || state.equals("unprocessed"), "state is active, was " + state);
            System.out.println("Alertmanager shows it: state=" + state + " labels=" + gotLabels);

            sink.offer(firing.resolvedAt(Instant.now()));
            check(sink.awaitIdle(DEADLINE.toSeconds(), TimeUnit.SECONDS), "resolved alert delivered");
            check(sent(registry) == 2, "sink counted 2 delivered alerts");
            System.out.println("pushed resolved alert");

            check(poll(http, base, probeId, false) == null, "Alertmanager no longer lists the alert as active");
            System.out.println("Alertmanager no longer lists it as active");
        }
        System.out.println("OK: Alertmanager end-to-end");
        return 0;
    }

    private static double sent(SimpleMeterRegistry registry) {
        return registry.find("faultline.alert.sink.sent").counter().count();
    }

    /** Polls {@code GET /api/v2/alerts?active=true} until the probe's alert is present (or absent). */
    private static JsonNode poll(HttpClient http, URI base, String probeId, boolean wantPresent) throws Exception {
        String filter = URLEncoder.encode("service=\"" + probeId + "\"", StandardCharsets.UTF_8);
        URI uri = URI.create(base.toString().replaceAll("/+$", "") + "/api/v2/alerts?active=true&filter=" + filter);
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            check(r.statusCode() == 200, "GET /api/v2/alerts answers 200, was " + r.statusCode());
            JsonNode match = null;
            for (JsonNode a : JSON.readTree(r.body())) {
                if (probeId.equals(a.path("labels").path("service").asText())) {
                    match = a;
                }
            }
            if ((match != null) == wantPresent) {
                return match;
            }
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("alert still " + (wantPresent ? "absent" : "present") + " after " + DEADLINE);
            }
            LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
        }
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> m = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), e.getValue().asText());
        }
        return m;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
