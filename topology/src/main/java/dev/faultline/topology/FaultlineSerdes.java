package dev.faultline.topology;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Every serde the topology uses, in one place: operators never pick serdes themselves. */
public final class FaultlineSerdes {
    /** Raw log bytes in, DLQ bytes out: reading as bytes means deserialization can never fail. */
    public static final Serde<byte[]> BYTES = Serdes.ByteArray();
    public static final Serde<String> STRING = Serdes.String();
    static final Serde<Occurrence> OCCURRENCE = new JsonSerde<>(Occurrence.class);
    static final Serde<WindowAggregate> AGGREGATE = new JsonSerde<>(WindowAggregate.class);
    static final Serde<AlertState> ALERT_STATE = new JsonSerde<>(AlertState.class);

    private FaultlineSerdes() {
    }
}
