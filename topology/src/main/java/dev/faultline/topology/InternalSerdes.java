package dev.faultline.topology;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Compact binary serdes for Faultline's internal values (repartition topics, stores). Each value
 * starts with a format byte ({@link #V1}); strings are length-prefixed UTF-8, bounded on read, and
 * collections are count-prefixed and bounded. A value starting with {@code '{'} is the JSON format
 * written before this one and is still read, so state and in-flight repartition records survive an
 * upgrade.
 */
final class InternalSerdes {
    static final byte V1 = 1;
    /** Bounds on read: a corrupt or hostile value cannot make a reader allocate without limit. */
    static final int MAX_STRING_BYTES = 1 << 20;
    static final int MAX_ELEMENTS = 1 << 16;
    private static final byte JSON_START = '{';

    private InternalSerdes() {
    }

    static final Serde<Occurrence> OCCURRENCE = serde("Occurrence", InternalSerdes::writeOccurrence,
            InternalSerdes::readOccurrence, Occurrence.class, Function.identity());
    static final Serde<WindowAggregate> AGGREGATE = serde("WindowAggregate", InternalSerdes::writeAggregate,
            InternalSerdes::readAggregate, WindowAggregate.class, Function.identity());
    static final Serde<PartialAggregate> PARTIAL = serde("PartialAggregate", InternalSerdes::writePartial,
            InternalSerdes::readPartial, Occurrence.class, o -> PartialAggregate.ofOccurrence(o, 1));
    static final Serde<AlertState> ALERT_STATE = serde("AlertState", InternalSerdes::writeAlertState,
            InternalSerdes::readAlertState, AlertState.class, Function.identity());

    private static <T, L> Serde<T> serde(String name, BiConsumer<Out, T> write, Function<In, T> read,
            Class<L> legacyType, Function<L, T> fromLegacy) {
        JsonSerde<L> legacy = new JsonSerde<>(legacyType);
        Serializer<T> ser = (topic, value) -> {
            if (value == null) {
                return null;
            }
            Out out = new Out();
            out.b(V1);
            write.accept(out, value);
            return out.bytes();
        };
        Deserializer<T> de = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length == 0) {
                throw new SerializationException("cannot read " + name + ": empty");
            }
            if (bytes[0] == JSON_START) {
                return fromLegacy.apply(legacy.deserializer().deserialize(topic, bytes));
            }
            if (bytes[0] != V1) {
                throw new SerializationException("cannot read " + name + ": unknown format " + bytes[0]);
            }
            try {
                In in = new In(bytes, 1);
                T value = read.apply(in);
                in.end();
                return value;
            } catch (IndexOutOfBoundsException e) {
                throw new SerializationException("cannot read " + name + ": truncated", e);
            }
        };
        return new Serde<>() {
            @Override
            public Serializer<T> serializer() {
                return ser;
            }

            @Override
            public Deserializer<T> deserializer() {
                return de;
            }
        };
    }

    static void writeOccurrence(Out out, Occurrence o) {
        out.str(o.kind);
        out.str(o.svc);
        out.str(o.catalog);
        out.str(o.code);
        out.str(o.cls);
        out.str(o.tr);
        out.str(o.host);
        out.str(o.msg);
        out.i64(o.t);
    }

    static Occurrence readOccurrence(In in) {
        return Occurrence.of(in.str(), in.str(), in.str(), in.str(), in.str(), in.str(), in.str(), in.str(),
                in.i64());
    }

    static void writeAggregate(Out out, WindowAggregate a) {
        out.str(a.kind);
        out.str(a.svc);
        out.str(a.catalog);
        out.str(a.code);
        out.str(a.cls);
        out.i64(a.count);
        out.i64(a.transientCount);
        out.i64(a.firstSeen);
        out.i64(a.lastSeen);
        out.count(a.hosts.size());
        for (String h : a.hosts) {
            out.str(h);
        }
        out.b((byte) (a.hostsTruncated ? 1 : 0));
        out.str(a.sample);
    }

    static WindowAggregate readAggregate(In in) {
        WindowAggregate a = new WindowAggregate();
        a.kind = in.str();
        a.svc = in.str();
        a.catalog = in.str();
        a.code = in.str();
        a.cls = in.str();
        a.count = in.i64();
        a.transientCount = in.i64();
        a.firstSeen = in.i64();
        a.lastSeen = in.i64();
        for (int i = 0, n = in.count(); i < n; i++) {
            a.hosts.add(in.str());
        }
        a.hostsTruncated = in.b() != 0;
        a.sample = in.str();
        return a;
    }

    static void writePartial(Out out, PartialAggregate p) {
        out.i64(p.sizeMs);
        out.i64(p.windowStart);
        writeAggregate(out, p.agg);
    }

    static PartialAggregate readPartial(In in) {
        long size = in.i64();
        long start = in.i64();
        return new PartialAggregate(size, start, readAggregate(in));
    }

    static void writeAlertState(Out out, AlertState s) {
        out.str(s.kind);
        out.str(s.svc);
        out.str(s.catalog);
        out.str(s.code);
        out.str(s.cls);
        out.str(s.tr);
        out.i64(s.bucketStart);
        out.i64(s.count);
        out.i64(s.history);
        out.f64(s.baseline);
        out.f64(s.variance);
        out.b((byte) (s.firing ? 1 : 0));
        out.i64(s.episodeStart);
        out.i64(s.lastNotified);
        out.i64(s.normalSince);
        out.i64(s.lastSeen);
        out.f64(s.lastScore);
        out.count(s.hosts.size());
        for (Map.Entry<String, Long> h : s.hosts.entrySet()) {
            out.str(h.getKey());
            out.i64(h.getValue());
        }
        out.count(s.samples.size());
        for (String sample : s.samples) {
            out.str(sample);
        }
        // Last and optional: a state written before windows ahead were counted ends above and reads as none.
        out.count(s.ahead.size());
        for (Map.Entry<Long, Long> a : s.ahead.entrySet()) {
            out.i64(a.getKey());
            out.i64(a.getValue());
        }
    }

    static AlertState readAlertState(In in) {
        AlertState s = new AlertState();
        s.kind = in.str();
        s.svc = in.str();
        s.catalog = in.str();
        s.code = in.str();
        s.cls = in.str();
        s.tr = in.str();
        s.bucketStart = in.i64();
        s.count = in.i64();
        s.history = in.i64();
        s.baseline = in.f64();
        s.variance = in.f64();
        s.firing = in.b() != 0;
        s.episodeStart = in.i64();
        s.lastNotified = in.i64();
        s.normalSince = in.i64();
        s.lastSeen = in.i64();
        s.lastScore = in.f64();
        for (int i = 0, n = in.count(); i < n; i++) {
            String host = in.str();
            s.hosts.put(host, in.i64());
        }
        for (int i = 0, n = in.count(); i < n; i++) {
            s.samples.add(in.str());
        }
        if (in.more()) {
            for (int i = 0, n = in.count(); i < n; i++) {
                long start = in.i64();
                s.ahead.put(start, in.i64());
            }
        }
        return s;
    }

    /** A growable big-endian writer. */
    static final class Out {
        private byte[] buf = new byte[128];
        private int pos;

        private void room(int n) {
            if (pos + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
            }
        }

        void b(byte v) {
            room(1);
            buf[pos++] = v;
        }

        void varint(int v) {
            room(5);
            while ((v & ~0x7f) != 0) {
                buf[pos++] = (byte) ((v & 0x7f) | 0x80);
                v >>>= 7;
            }
            buf[pos++] = (byte) v;
        }

        void count(int n) {
            if (n > MAX_ELEMENTS) {
                throw new SerializationException("too many elements: " + n);
            }
            varint(n);
        }

        void i64(long v) {
            room(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buf[pos++] = (byte) (v >>> shift);
            }
        }

        void f64(double v) {
            i64(Double.doubleToRawLongBits(v));
        }

        /** Length + 1 (0 is null), then UTF-8. */
        void str(String s) {
            if (s == null) {
                varint(0);
                return;
            }
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            if (utf8.length > MAX_STRING_BYTES) {
                throw new SerializationException("string too long: " + utf8.length + " bytes");
            }
            varint(utf8.length + 1);
            room(utf8.length);
            System.arraycopy(utf8, 0, buf, pos, utf8.length);
            pos += utf8.length;
        }

        byte[] bytes() {
            return Arrays.copyOf(buf, pos);
        }
    }

    /** The matching reader; every length and count is checked before anything is allocated. */
    static final class In {
        private final byte[] buf;
        private int pos;

        In(byte[] buf, int pos) {
            this.buf = buf;
            this.pos = pos;
        }

        byte b() {
            if (pos >= buf.length) {
                throw new IndexOutOfBoundsException(pos);
            }
            return buf[pos++];
        }

        int varint() {
            int v = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                byte x = b();
                v |= (x & 0x7f) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
            throw new SerializationException("malformed varint");
        }

        int count() {
            int n = varint();
            if (n < 0 || n > MAX_ELEMENTS) {
                throw new SerializationException("too many elements: " + n);
            }
            return n;
        }

        long i64() {
            if (pos + 8 > buf.length) {
                throw new IndexOutOfBoundsException(pos);
            }
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (buf[pos++] & 0xff);
            }
            return v;
        }

        double f64() {
            return Double.longBitsToDouble(i64());
        }

        String str() {
            int n = varint();
            if (n == 0) {
                return null;
            }
            n--;
            if (n < 0 || n > MAX_STRING_BYTES || pos + n > buf.length) {
                throw new SerializationException("bad string length " + n);
            }
            String s = new String(buf, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        boolean more() {
            return pos < buf.length;
        }

        void end() {
            if (pos != buf.length) {
                throw new SerializationException((buf.length - pos) + " trailing bytes");
            }
        }
    }
}
