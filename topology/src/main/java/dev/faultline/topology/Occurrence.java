package dev.faultline.topology;

/**
 * The small projection of an enriched event that is repartitioned for aggregates and alerts, so the
 * full enriched JSON never crosses a repartition topic. Short field names keep it compact.
 */
final class Occurrence {
    /** {@link #kind} values. */
    static final String CODE = "code";
    static final String CLASS = "class";
    static final String TOTAL = "service-total";
    /** Carries no finding: advances stream time in the alert task so quiet alerts can resolve. */
    static final String TICK = "tick";

    String kind;
    /** Service ({@code unknown} when the log and the topic name none). */
    String svc;
    String catalog;
    String code;
    /** Error class wire name. */
    String cls;
    /** Transience wire name. */
    String tr;
    String host;
    /** Message, already truncated. */
    String msg;
    /** Event time (guarded), epoch millis. */
    long t;

    Occurrence() {
    }

    static Occurrence of(String kind, String svc, String catalog, String code, String cls, String tr, String host,
            String msg, long t) {
        Occurrence o = new Occurrence();
        o.kind = kind;
        o.svc = svc;
        o.catalog = catalog;
        o.code = code;
        o.cls = cls;
        o.tr = tr;
        o.host = host;
        o.msg = msg;
        o.t = t;
        return o;
    }

    /** A tick: enrich task {@code source} (its task id, carried in {@code svc}) has reached event time {@code t}. */
    static Occurrence tick(long t, String source) {
        return of(TICK, source, null, null, null, null, null, null, t);
    }

    boolean isTick() {
        return TICK.equals(kind);
    }

    /** Whether spikes of this occurrence page anyone: permanent errors need a fix, not an alert on their rate. */
    boolean alertable() {
        return (CODE.equals(kind) || CLASS.equals(kind)) && ("transient".equals(tr) || "conditional".equals(tr));
    }

    /** The aggregation key: one series per kind and dimension values. */
    String aggregateKey() {
        return switch (kind) {
            case CODE -> "code|" + svc + "|" + catalog + "|" + code;
            case CLASS -> "class|" + svc + "|" + cls;
            default -> TOTAL + "|" + svc;
        };
    }
}
