package dev.faultline.topology;

import static dev.faultline.topology.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Windows close on the slowest input partition's event time. The test driver runs one task per sub-topology, so
 * two input partitions' combiners are played by writing their partials and watermarks, named {@code 0_0} and
 * {@code 0_1}, straight into the aggregate repartition topic. Defaults: 1m windows, 30s grace, 30s idle timeout.
 */
class AggregateWindowsTest {
    private static final String SVC = "nefia-agent";
    private static final long WINDOW = T0.toEpochMilli();

    @Test
    void shouldCloseAWindowOnlyWhenTheSlowestPartitionHasPassedIt() {
        try (TopologyFixture f = new TopologyFixture("")) {
            TestInputTopic<String, byte[]> repartition = repartition(f);
            partial(repartition, "0_0", WINDOW, T0.plusSeconds(10), 1);
            partial(repartition, "0_1", WINDOW, T0.plusSeconds(5), 1);
            // Partition 0 runs five minutes ahead: on its own it would close the 10:00 window.
            partial(repartition, "0_0", WINDOW + 300_000, T0.plusSeconds(300), 1);
            assertThat(f.aggregates.isEmpty()).as("partition 1 is still inside the window").isTrue();
            assertThat(watermarkLag(f)).as("what partition 1 holds back").isEqualTo(295_000.0);

            // Partition 1's later events for the same window still count.
            partial(repartition, "0_1", WINDOW, T0.plusSeconds(50), 2);
            watermark(repartition, "0_1", T0.plusSeconds(89), 0);
            assertThat(f.aggregates.isEmpty()).as("end + grace not reached by partition 1").isTrue();

            watermark(repartition, "0_1", T0.plusSeconds(90), 0);
            assertThat(codeCounts(f)).containsExactly(4L);
        }
    }

    @Test
    void shouldStopWaitingForAPartitionThatHasSentNothingForTheIdleTimeout() {
        try (TopologyFixture f = new TopologyFixture("")) {
            TestInputTopic<String, byte[]> repartition = repartition(f);
            partial(repartition, "0_0", WINDOW, T0.plusSeconds(10), 1);
            watermark(repartition, "0_1", T0.plusSeconds(5), 0);
            partial(repartition, "0_0", WINDOW + 300_000, T0.plusSeconds(300), 1);
            f.advanceWallClock(Duration.ofSeconds(29));
            assertThat(f.aggregates.isEmpty()).as("partition 1 heard from 29 s ago").isTrue();

            watermark(repartition, "0_0", T0.plusSeconds(300), 0); // partition 0 is still live
            f.advanceWallClock(Duration.ofSeconds(2));
            assertThat(codeCounts(f)).as("closed on partition 0 alone").containsExactly(1L);
        }
    }

    @Test
    void shouldCloseTheLastWindowWhenTheWholeInputFallsSilent() {
        try (TopologyFixture f = new TopologyFixture("")) {
            TestInputTopic<String, byte[]> repartition = repartition(f);
            partial(repartition, "0_0", WINDOW, T0.plusSeconds(10), 1);
            partial(repartition, "0_1", WINDOW, T0.plusSeconds(20), 2);
            f.advanceWallClock(Duration.ofSeconds(29));
            assertThat(f.aggregates.isEmpty()).as("not idle yet").isTrue();
            // Silent since 10:00:20: 59 s on, time is taken to be 10:01:19, short of end + grace (10:01:30).
            f.advanceWallClock(Duration.ofSeconds(30));
            assertThat(f.aggregates.isEmpty()).as("10:01:19").isTrue();

            f.advanceWallClock(Duration.ofSeconds(12));
            assertThat(codeCounts(f)).as("10:01:31").containsExactly(3L);
        }
    }

    @Test
    void shouldStopWaitingForAPartitionWhoseEventTimeHasNotAdvancedForTheIdleTimeout() {
        try (TopologyFixture f = new TopologyFixture("")) {
            TestInputTopic<String, byte[]> repartition = repartition(f);
            partial(repartition, "0_0", WINDOW, T0.plusSeconds(10), 1);
            // Still sending watermarks, but quiet: its newest event time has not moved for 30 s.
            watermark(repartition, "0_1", T0.plusSeconds(5), 30_000);
            partial(repartition, "0_0", WINDOW + 300_000, T0.plusSeconds(300), 1);
            assertThat(codeCounts(f)).containsExactly(1L);

            // It advances again: it holds the newer windows open again.
            partial(repartition, "0_1", WINDOW + 300_000, T0.plusSeconds(301), 1);
            partial(repartition, "0_0", WINDOW + 600_000, T0.plusSeconds(600), 1);
            assertThat(f.aggregates.isEmpty()).as("the 10:05 window waits for partition 1 again").isTrue();
        }
    }

    @Test
    void shouldNotTakeAStallOfItsOwnThreadForSilentInput() {
        try (TopologyFixture f = new TopologyFixture("")) {
            TestInputTopic<String, byte[]> repartition = repartition(f);
            partial(repartition, "0_0", WINDOW, T0.plusSeconds(10), 1);
            partial(repartition, "0_1", WINDOW, T0.plusSeconds(20), 2);
            // Two minutes without a single punctuation: this task's thread stood still (GC, rebalance), so the
            // input's silence meanwhile was not seen and proves nothing.
            f.driver.advanceWallClockTime(Duration.ofSeconds(120));
            assertThat(f.aggregates.isEmpty()).as("just after the stall").isTrue();
            partial(repartition, "0_1", WINDOW, T0.plusSeconds(25), 1);
            assertThat(WindowedAggregatesTest.dropped(f)).as("what was read after the stall still counts")
                    .isZero();

            // Silence counts from the stall's end: 10:00:25 + 65 s reaches end + grace (10:01:30).
            f.advanceWallClock(Duration.ofSeconds(64));
            assertThat(f.aggregates.isEmpty()).as("10:01:29").isTrue();
            f.advanceWallClock(Duration.ofSeconds(2));
            assertThat(codeCounts(f)).containsExactly(4L);
        }
    }

    @Test
    void shouldNotForgetALaggingPartitionAfterAStallOfAnHour() {
        try (TopologyFixture f = new TopologyFixture("")) {
            TestInputTopic<String, byte[]> repartition = repartition(f);
            partial(repartition, "0_0", WINDOW, T0.plusSeconds(10), 1);
            partial(repartition, "0_1", WINDOW, T0.plusSeconds(5), 1);
            // 61 minutes without a punctuation (a frozen VM): longer than a task is kept when it is really gone.
            f.driver.advanceWallClockTime(Duration.ofMinutes(61));
            // Partition 0 reads on, five minutes ahead; partition 1 has not been seen idle since the stall.
            partial(repartition, "0_0", WINDOW + 300_000, T0.plusSeconds(300), 1);
            assertThat(f.aggregates.isEmpty()).as("partition 1 still holds the 10:00 window").isTrue();

            partial(repartition, "0_1", WINDOW, T0.plusSeconds(50), 2);
            assertThat(WindowedAggregatesTest.dropped(f)).as("partition 1's later events still count").isZero();
        }
    }

    @Test
    void shouldDropAndCountAPartialForAWindowAlreadyEmitted() {
        try (TopologyFixture f = new TopologyFixture("")) {
            TestInputTopic<String, byte[]> repartition = repartition(f);
            partial(repartition, "0_0", WINDOW, T0.plusSeconds(10), 1);
            partial(repartition, "0_0", WINDOW + 300_000, T0.plusSeconds(300), 1);
            assertThat(codeCounts(f)).containsExactly(1L);
            double before = WindowedAggregatesTest.dropped(f);

            // A partition not heard from before: its window is already out, so its partial is late.
            partial(repartition, "0_1", WINDOW, T0.plusSeconds(20), 5);
            assertThat(WindowedAggregatesTest.dropped(f)).isGreaterThan(before);
            partial(repartition, "0_1", WINDOW + 600_000, T0.plusSeconds(600), 1);
            partial(repartition, "0_0", WINDOW + 600_000, T0.plusSeconds(600), 1);
            assertThat(codeCounts(f)).as("the 10:00 window is never emitted twice").containsExactly(1L);
        }
    }

    @Test
    void shouldEmitAWindowBeforeTheStoreWouldDropItWhenOnePartitionRunsAheadByNearlyTheRetention() {
        try (TopologyFixture f = new TopologyFixture("")) {
            TestInputTopic<String, byte[]> repartition = repartition(f);
            partial(repartition, "0_1", WINDOW, T0.plusSeconds(10), 1);
            partial(repartition, "0_0", WINDOW, T0.plusSeconds(10), 1);
            // Retention is 2 × 1m + 30s + 1h; an hour and the grace past its end (11:01:30), the 10:00 window is
            // one window from leaving the store.
            partial(repartition, "0_0", WINDOW + 3_660_000, T0.plusSeconds(3_690), 1);
            assertThat(codeCounts(f)).as("emitted with what it had, not lost unseen").containsExactly(2L);

            double before = WindowedAggregatesTest.dropped(f);
            partial(repartition, "0_1", WINDOW, T0.plusSeconds(20), 1);
            assertThat(WindowedAggregatesTest.dropped(f)).as("what came after is counted as dropped")
                    .isGreaterThan(before);
        }
    }

    @Test
    void shouldCloseHourWindowsOnTheSlowestPartitionWhileTheNewestIsLessThanTheMarginAhead() {
        try (TopologyFixture f = new TopologyFixture("windows: {sizes: [1h]}")) {
            TestInputTopic<String, byte[]> repartition = repartition(f);
            long hour = 3_600_000;
            partial(repartition, "0_0", hour, WINDOW, T0.plusSeconds(10), 1);
            partial(repartition, "0_1", hour, WINDOW, T0.plusSeconds(40 * 60), 1);
            // Partition 0 is at 11:30:30, partition 1 still at 10:40: the 10:00 window stays open for partition 1.
            partial(repartition, "0_0", hour, WINDOW + hour, T0.plusSeconds(3_600 + 30 * 60 + 30), 1);
            assertThat(f.aggregates.isEmpty()).as("partition 1 is still inside the 10:00 window").isTrue();

            double before = WindowedAggregatesTest.dropped(f);
            partial(repartition, "0_1", hour, WINDOW, T0.plusSeconds(50 * 60), 5);
            assertThat(WindowedAggregatesTest.dropped(f)).as("partition 1's later events still count").isEqualTo(before);

            // An hour and the grace past the window's end (12:00:30), it goes out with what it has.
            partial(repartition, "0_0", hour, WINDOW + 2 * hour, T0.plusSeconds(2 * 3_600 + 30), 1);
            assertThat(codeCounts(f)).containsExactly(7L);
        }
    }

    @Test
    void shouldCloseNoWindowForOneIdleTimeoutAfterTheTaskStarts() {
        try (TopologyFixture f = new TopologyFixture("", null, FaultlineTopology.COMBINE_MAX_PARTIALS, false)) {
            TestInputTopic<String, byte[]> repartition = repartition(f);
            // Only partition 0 heard from yet: the other may still be starting, so nothing closes.
            partial(repartition, "0_0", WINDOW, T0.plusSeconds(10), 1);
            partial(repartition, "0_0", WINDOW + 300_000, T0.plusSeconds(300), 1);
            f.advanceWallClock(Duration.ofSeconds(29));
            assertThat(f.aggregates.isEmpty()).as("inside the start-up hold").isTrue();

            f.advanceWallClock(Duration.ofSeconds(2));
            assertThat(codeCounts(f)).containsExactly(1L);
        }
    }

    private static double watermarkLag(TopologyFixture f) {
        return f.driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("watermark-lag-ms"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).max().orElseThrow();
    }

    private static List<Long> codeCounts(TopologyFixture f) {
        return f.aggregates.readRecordsToList().stream().map(r -> TopologyFixture.json(r.value()))
                .filter(a -> a.get("kind").asText().equals("code")).map(a -> a.get("count").asLong()).toList();
    }

    static TestInputTopic<String, byte[]> repartition(TopologyFixture f) {
        String appId = f.config.streamsProperties().getProperty("application.id");
        return f.driver.createInputTopic(appId + "-" + FaultlineTopology.AGG_REPARTITION + "-repartition",
                Serdes.String().serializer(), Serdes.ByteArray().serializer());
    }

    /** A code partial of {@code count} VPN_NOT_READY occurrences in the 1m window at {@code windowStart}. */
    private static void partial(TestInputTopic<String, byte[]> topic, String source, long windowStart, Instant last,
            long count) {
        partial(topic, source, 60_000, windowStart, last, count);
    }

    /** As above, in the window of {@code sizeMs} at {@code windowStart}. */
    private static void partial(TestInputTopic<String, byte[]> topic, String source, long sizeMs, long windowStart,
            Instant last, long count) {
        partialAlone(topic, source, sizeMs, windowStart, last, count);
        // As a combiner does once its time has moved on: a partial's own time does not move the windows' clock.
        watermark(topic, source, last, 0);
    }

    /** The partial alone, with no watermark after it. */
    static void partialAlone(TestInputTopic<String, byte[]> topic, String source, long sizeMs, long windowStart,
            Instant last, long count) {
        WindowAggregate a = new WindowAggregate();
        a.kind = Occurrence.CODE;
        a.svc = SVC;
        a.catalog = "nefia";
        a.code = "VPN_NOT_READY";
        a.cls = "unavailable";
        a.count = count;
        a.firstSeen = last.toEpochMilli();
        a.lastSeen = last.toEpochMilli();
        byte[] value = FaultlineSerdes.PARTIAL.serializer().serialize("t", new PartialAggregate(sizeMs, windowStart, a));
        RecordHeaders headers = new RecordHeaders();
        headers.add(AggregateCombiner.SOURCE_HEADER, source.getBytes(StandardCharsets.UTF_8));
        topic.pipeInput(new TestRecord<>("code|" + SVC + "|nefia|VPN_NOT_READY", value, headers, last));
    }

    static void watermark(TestInputTopic<String, byte[]> topic, String source, Instant eventTime,
            long idleMs) {
        byte[] value = FaultlineSerdes.PARTIAL.serializer().serialize("t",
                PartialAggregate.watermark(eventTime.toEpochMilli()));
        RecordHeaders headers = new RecordHeaders();
        headers.add(AggregateCombiner.SOURCE_HEADER, source.getBytes(StandardCharsets.UTF_8));
        headers.add(AggregateCombiner.IDLE_HEADER, Long.toString(idleMs).getBytes(StandardCharsets.UTF_8));
        topic.pipeInput(new TestRecord<>(AggregateCombiner.WATERMARK_KEY, value, headers, eventTime));
    }
}
