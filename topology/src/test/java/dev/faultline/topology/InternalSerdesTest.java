package dev.faultline.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class InternalSerdesTest {
    private static <T> T roundTrip(Serde<T> serde, T value) {
        byte[] bytes = serde.serializer().serialize("t", value);
        assertThat(bytes[0]).isEqualTo(InternalSerdes.V1);
        return serde.deserializer().deserialize("t", bytes);
    }

    private static Occurrence occurrence() {
        return Occurrence.of(Occurrence.CODE, "svc ✓", "nefia", "VPN_NOT_READY", "unavailable", "transient", "h1",
                null, 1_795_255_200_123L);
    }

    @Test
    void shouldRoundTripEveryInternalType() {
        Occurrence o = roundTrip(FaultlineSerdes.OCCURRENCE, occurrence());
        assertThat(o).usingRecursiveComparison().isEqualTo(occurrence());

        WindowAggregate a = new WindowAggregate().add(occurrence(), 2);
        a.sample = "sample \u0000 with nul";
        a.hostsTruncated = true;
        assertThat(roundTrip(FaultlineSerdes.AGGREGATE, a)).usingRecursiveComparison().isEqualTo(a);

        PartialAggregate p = new PartialAggregate(60_000, 1_795_255_200_000L, a);
        assertThat(roundTrip(FaultlineSerdes.PARTIAL, p)).usingRecursiveComparison().isEqualTo(p);

        AlertState s = AlertState.start(occurrence(), 1_795_255_200_000L);
        s.count = 7;
        s.baseline = 1.5;
        s.variance = 0.25;
        s.lastScore = Double.POSITIVE_INFINITY;
        s.firing = true;
        s.hosts.put("h1", 3L);
        s.samples.add("boom");
        s.ahead.put(1_795_255_260_000L, 4L);
        s.ahead.put(1_795_255_380_000L, 1L);
        assertThat(roundTrip(FaultlineSerdes.ALERT_STATE, s)).usingRecursiveComparison().isEqualTo(s);
    }

    @Test
    void shouldReadAnAlertStateWrittenBeforeWindowsAheadWereCounted() {
        AlertState s = AlertState.start(occurrence(), 1_795_255_200_000L);
        s.count = 3;
        s.samples.add("boom");
        byte[] now = FaultlineSerdes.ALERT_STATE.serializer().serialize("t", s);
        // The earlier layout is this one without its last field, the (here empty) count of windows ahead.
        byte[] before = Arrays.copyOf(now, now.length - 1);

        assertThat(FaultlineSerdes.ALERT_STATE.deserializer().deserialize("t", before))
                .usingRecursiveComparison().isEqualTo(s);
    }

    @Test
    void shouldStillReadTheEarlierJsonFormat() {
        byte[] occJson = new JsonSerde<>(Occurrence.class).serializer().serialize("t", occurrence());
        assertThat(FaultlineSerdes.OCCURRENCE.deserializer().deserialize("t", occJson))
                .usingRecursiveComparison().isEqualTo(occurrence());

        // A repartition record written before partials existed: one occurrence, for every window size.
        PartialAggregate p = FaultlineSerdes.PARTIAL.deserializer().deserialize("t", occJson);
        assertThat(p.forSize(60_000)).isTrue();
        assertThat(p.forSize(300_000)).isTrue();
        assertThat(p.agg.count).isEqualTo(1);
        assertThat(p.agg.hosts).containsExactly("h1");
        assertThat(p.timestamp()).isEqualTo(occurrence().t);

        WindowAggregate a = new WindowAggregate().add(occurrence(), 4);
        byte[] aggJson = new JsonSerde<>(WindowAggregate.class).serializer().serialize("t", a);
        assertThat(FaultlineSerdes.AGGREGATE.deserializer().deserialize("t", aggJson))
                .usingRecursiveComparison().isEqualTo(a);

        AlertState s = AlertState.start(occurrence(), 0);
        s.hosts.put("h1", 2L);
        byte[] alertJson = new JsonSerde<>(AlertState.class).serializer().serialize("t", s);
        assertThat(FaultlineSerdes.ALERT_STATE.deserializer().deserialize("t", alertJson))
                .usingRecursiveComparison().isEqualTo(s);
    }

    @Test
    void shouldRejectTruncatedUnknownAndOversizedValues() {
        byte[] bytes = FaultlineSerdes.OCCURRENCE.serializer().serialize("t", occurrence());
        assertThatThrownBy(() -> FaultlineSerdes.OCCURRENCE.deserializer().deserialize("t",
                Arrays.copyOf(bytes, bytes.length - 3))).isInstanceOf(SerializationException.class);
        byte[] future = bytes.clone();
        future[0] = 9;
        assertThatThrownBy(() -> FaultlineSerdes.OCCURRENCE.deserializer().deserialize("t", future))
                .isInstanceOf(SerializationException.class).hasMessageContaining("unknown format");
        // A string length far beyond the bound: refused before anything is allocated.
        byte[] hostile = {InternalSerdes.V1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f};
        assertThatThrownBy(() -> FaultlineSerdes.OCCURRENCE.deserializer().deserialize("t", hostile))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> FaultlineSerdes.OCCURRENCE.deserializer().deserialize("t", new byte[0]))
                .isInstanceOf(SerializationException.class);
        String big = "x".repeat(InternalSerdes.MAX_STRING_BYTES + 1);
        Occurrence o = occurrence();
        o.msg = big;
        assertThatThrownBy(() -> FaultlineSerdes.OCCURRENCE.serializer().serialize("t", o))
                .isInstanceOf(SerializationException.class);
    }
}
