package dev.faultline.topology;

import static dev.faultline.topology.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * No output record is stamped later than the input that made it: a log's own time may be ahead of its record's
 * (within event-time.max-future-skew, 5 min by default), and a broker refuses a record stamped more than
 * message.timestamp.after.max.ms (1 h by default) ahead of its clock. An input it accepted 58 minutes ahead,
 * whose log is 4 minutes ahead of that, must not make an output it refuses: the send fails the task, which
 * re-reads the same record after its restart, and the partition stalls.
 */
class OutputTimestampTest {
    private static final String SVC = "nefia-agent";

    @Test
    void shouldNeverStampAnOutputLaterThanTheInputRecordThatMadeIt() {
        try (TopologyFixture f = new TopologyFixture("")) {
            TestOutputTopic<String, byte[]> repartition = AggregateCombinerTest.repartition(f);
            Instant recordTime = T0.plusSeconds(30);
            Instant logTime = recordTime.plus(Duration.ofMinutes(4));
            for (int i = 0; i < 20; i++) { // a spike: the alerts fire on the 20th
                f.logAt(recordTime, TopologyFixture.line(logTime.plusMillis(i), SVC, "h" + i, "VPN_NOT_READY",
                        "ahead " + i));
            }
            List<TestRecord<String, byte[]>> partials = repartition.readRecordsToList();
            List<TestRecord<String, String>> enriched = f.enriched.readRecordsToList();
            List<TestRecord<String, String>> alerts = f.alerts.readRecordsToList();
            assertThat(enriched).hasSize(20);
            assertThat(alerts).as("the spike fired").isNotEmpty();
            assertThat(enriched).allSatisfy(r -> assertThat(r.timestamp()).isLessThanOrEqualTo(recordTime.toEpochMilli()));
            assertThat(alerts).allSatisfy(r -> assertThat(r.timestamp()).isLessThanOrEqualTo(recordTime.toEpochMilli()));
            assertThat(partials).as("the combiner's partials, on an internal topic").isNotEmpty()
                    .allSatisfy(r -> assertThat(r.timestamp()).isLessThanOrEqualTo(recordTime.toEpochMilli()));
            // the payloads keep the log's own time
            assertThat(TopologyFixture.json(alerts.get(0).value()).get("startsAt").asText())
                    .startsWith(logTime.toString().substring(0, 16));

        }
    }
}
