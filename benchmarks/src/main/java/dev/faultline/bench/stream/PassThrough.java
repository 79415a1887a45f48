package dev.faultline.bench.stream;

import dev.faultline.topology.FaultlineSerdes;
import java.util.Properties;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The baseline: source (bytes) → sink, with Faultline's serdes and built from the same Streams
 * properties ({@code FaultlineConfig.streamsProperties()}), so the only difference from a Faultline
 * run is the work between source and sink.
 */
final class PassThrough {
    private PassThrough() {
    }

    static Topology build(Properties streamsProps, String input, String output) {
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(streamsProps)));
        builder.stream(input, Consumed.with(FaultlineSerdes.BYTES, FaultlineSerdes.BYTES).withName("bench-source"))
                .to(output, Produced.with(FaultlineSerdes.BYTES, FaultlineSerdes.BYTES).withName("bench-sink"));
        return builder.build();
    }
}
