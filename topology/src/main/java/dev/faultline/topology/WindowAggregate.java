package dev.faultline.topology;

import java.util.LinkedHashSet;

/** The running state of one aggregate in one window; bounded (hosts capped, one truncated sample). */
final class WindowAggregate {
    String kind;
    String svc;
    String catalog;
    String code;
    String cls;
    long count;
    long transientCount;
    long firstSeen = Long.MAX_VALUE;
    long lastSeen = Long.MIN_VALUE;
    LinkedHashSet<String> hosts = new LinkedHashSet<>();
    boolean hostsTruncated;
    String sample;

    WindowAggregate() {
    }

    /** Adds one occurrence; {@code maxHosts} bounds the distinct-host set. */
    WindowAggregate add(Occurrence o, int maxHosts) {
        if (kind == null) {
            dimensions(o.kind, o.svc, o.catalog, o.code, o.cls);
        }
        count++;
        if ("transient".equals(o.tr)) {
            transientCount++;
        }
        firstSeen = Math.min(firstSeen, o.t);
        lastSeen = Math.max(lastSeen, o.t);
        if (o.host != null) {
            addHost(o.host, maxHosts);
        }
        if (sample == null && o.msg != null) {
            sample = o.msg;
        }
        return this;
    }

    /**
     * Merges a partial of the same series and window, as if its occurrences had been added one by
     * one after this aggregate's: counts add, first/last seen widen, hosts fill up to
     * {@code maxHosts} (truncated if either side was or the union does not fit), the first sample wins.
     */
    WindowAggregate merge(WindowAggregate p, int maxHosts) {
        if (kind == null) {
            dimensions(p.kind, p.svc, p.catalog, p.code, p.cls);
        }
        count += p.count;
        transientCount += p.transientCount;
        firstSeen = Math.min(firstSeen, p.firstSeen);
        lastSeen = Math.max(lastSeen, p.lastSeen);
        for (String h : p.hosts) {
            addHost(h, maxHosts);
        }
        hostsTruncated |= p.hostsTruncated;
        if (sample == null) {
            sample = p.sample;
        }
        return this;
    }

    private void dimensions(String kind, String svc, String catalog, String code, String cls) {
        this.kind = kind;
        this.svc = svc;
        this.catalog = catalog;
        this.code = code;
        this.cls = cls;
    }

    /** Adds a distinct host while there is room; one that does not fit marks the set truncated. */
    private void addHost(String host, int maxHosts) {
        if (!hosts.contains(host)) {
            if (hosts.size() < maxHosts) {
                hosts.add(host);
            } else {
                hostsTruncated = true;
            }
        }
    }
}
