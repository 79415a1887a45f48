package dev.faultline.topology;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Every serde the topology uses, in one place: operators never pick serdes themselves. */
public final class FaultlineSerdes {
    /** Raw log bytes in, DLQ bytes out: reading as bytes means deserialization can never fail. */
    public static final Serde<byte[]> BYTES = Serdes.ByteArray();
    public static final Serde<String> STRING = Serdes.String();
    /** Internal values: compact binary, versioned; the earlier JSON format is still read (InternalSerdes). */
    static final Serde<Occurrence> OCCURRENCE = InternalSerdes.OCCURRENCE;
    static final Serde<WindowAggregate> AGGREGATE = InternalSerdes.AGGREGATE;
    static final Serde<AlertState> ALERT_STATE = InternalSerdes.ALERT_STATE;
    static final Serde<PartialAggregate> PARTIAL = InternalSerdes.PARTIAL;

    private FaultlineSerdes() {
    }
}
