package dev.faultline.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Pushes alerts to Alertmanager's API v2: {@code POST /api/v2/alerts} with a JSON array of
 * {@code {labels, annotations, startsAt, endsAt, generatorURL}}.
 *
 * <p>Alertmanager deduplicates on the label set, so re-sending a firing alert (a retry, a
 * Faultline reminder, a redelivery after a restart) is idempotent. Firing alerts are sent with
 * {@code endsAt = now + firingTtl}: Faultline re-sends them (reminders) well within that time, and an
 * alert it stops re-sending — crash, a resolve lost to a full queue — expires instead of firing
 * forever. Resolved alerts carry their real {@code endsAt}, which ends them at once.
 *
 * <p>For a highly available Alertmanager, create one sink per instance (names
 * {@code alertmanager-0}, {@code alertmanager-1}, …): Alertmanager expects clients to send to all.
 */
public final class AlertmanagerSink extends HttpAlertSink {
    /** Used when an alert carries no {@code alertname} label (Alertmanager routes and groups on it). */
    public static final String DEFAULT_ALERTNAME = "FaultlineAlert";
    private static final String API_PATH = "/api/v2/alerts";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final Clock clock;

    /** A sink named {@code alertmanager}. */
    public AlertmanagerSink(HttpSinkSettings settings, MeterRegistry registry) {
        this("alertmanager", settings, registry, Clock.systemUTC());
    }

    public AlertmanagerSink(String name, HttpSinkSettings settings, MeterRegistry registry, Clock clock) {
        super(name, settings, registry);
        this.endpoint = endpointOf(settings.url());
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** {@code http://am:9093} and {@code http://am:9093/prefix/} get {@code /api/v2/alerts} appended. */
    static URI endpointOf(URI base) {
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        if (path.endsWith(API_PATH)) {
            return base;
        }
        String joined = (path.endsWith("/") ? path.substring(0, path.length() - 1) : path) + API_PATH;
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + joined);
    }

    @Override
    protected URI endpoint() {
        return endpoint;
    }

    @Override
    protected byte[] encode(List<Alert> batch) {
        Instant now = clock.instant();
        ArrayNode array = JSON.createArrayNode();
        for (Alert a : batch) {
            ObjectNode o = array.addObject();
            ObjectNode labels = o.putObject("labels");
            if (!a.labels().containsKey("alertname")) {
                labels.put("alertname", DEFAULT_ALERTNAME);
            }
            a.labels().forEach(labels::put);
            ObjectNode annotations = o.putObject("annotations");
            a.annotations().forEach(annotations::put);
            o.put("startsAt", a.startsAt().toString());
            o.put("endsAt", endsAt(a, now).toString());
            if (a.generatorUrl() != null && !a.generatorUrl().isEmpty()) {
                o.put("generatorURL", a.generatorUrl());
            }
        }
        try {
            return JSON.writeValueAsBytes(array);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode alerts", e);
        }
    }

    /** Firing: now + TTL (never before start). Resolved: its end (never before start, Alertmanager rejects that). */
    private Instant endsAt(Alert a, Instant now) {
        if (a.firing() || a.endsAt() == null) {
            Instant from = now.isAfter(a.startsAt()) ? now : a.startsAt();
            return from.plus(settings().firingTtl());
        }
        return a.endsAt().isBefore(a.startsAt()) ? a.startsAt() : a.endsAt();
    }

    @Override
    public String toString() {
        return "AlertmanagerSink[" + name() + " -> " + HttpSinkSettings.redacted(endpoint) + "]";
    }

    /** Labels as Alertmanager will see them (with the default alertname); for probes and tests. */
    public static Map<String, String> effectiveLabels(Alert a) {
        if (a.labels().containsKey("alertname")) {
            return a.labels();
        }
        java.util.TreeMap<String, String> m = new java.util.TreeMap<>(a.labels());
        m.put("alertname", DEFAULT_ALERTNAME);
        return m;
    }
}
