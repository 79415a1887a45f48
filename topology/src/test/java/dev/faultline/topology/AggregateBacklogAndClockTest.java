package dev.faultline.topology;

import static dev.faultline.topology.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.Test;

/**
 * Windows are neither lost nor closed early by how event time moves: a backlog or a gap of hours (the window stores
 * keep 2 x size + grace + 1 h), a restart in the middle of a catch-up, one host's fast clock. Defaults: 1m windows,
 * 30s grace, 5m max future skew.
 */
class AggregateBacklogAndClockTest {
    private static final String SVC = "nefia-agent";

    @Test
    void shouldNotMakeOtherHostsEventsLateWhenOneHostsClockIsFastWithinTheAllowedSkew() {
        try (TopologyFixture f = new TopologyFixture("")) {
            // Host h2's clock runs 4 minutes fast (within event-time.max-future-skew: 5m)
            assertOnTimeHostsWindowUntouchedByAFastHost(f, Duration.ofSeconds(240));
        }
    }

    /** h1 logs three times in the 10:00 window; h2, {@code ahead} fast, once, its record reaching Kafka on time. */
    private static void assertOnTimeHostsWindowUntouchedByAFastHost(TopologyFixture f, Duration ahead) {
        f.log(T0.plusSeconds(10), SVC, "h1", "VPN_NOT_READY", "on time");
        f.logAt(T0.plusSeconds(11), TopologyFixture.line(T0.plusSeconds(11).plus(ahead), SVC, "h2", "VPN_NOT_READY",
                "fast clock"));
        f.advanceWallClock(Duration.ofSeconds(2)); // the combiner's wall-clock flush
        f.log(T0.plusSeconds(20), SVC, "h1", "VPN_NOT_READY", "on time again");
        f.log(T0.plusSeconds(30), SVC, "h1", "VPN_NOT_READY", "and again");
        f.advanceWallClock(Duration.ofSeconds(2));
        double dropped = WindowedAggregatesTest.dropped(f);
        f.log(T0.plusSeconds(600), SVC, "h1", null, "close everything");

        List<JsonNode> tenOClock = f.aggregates.readRecordsToList().stream()
                .map(r -> TopologyFixture.json(r.value()))
                .filter(a -> a.get("kind").asText().equals("code"))
                .filter(a -> a.at("/window/start").asText().equals(T0.toString())).toList();
        assertThat(dropped).as("h1's on-time events dropped as late").isZero();
        assertThat(tenOClock).singleElement()
                .satisfies(a -> assertThat(a.get("count").asLong()).as("h1's 10:00 count").isEqualTo(3));
    }

    @Test
    void shouldEmitTheWindowBeforeAGapOfTwoHoursInEventTime() {
        try (TopologyFixture f = new TopologyFixture("")) {
            // A backlog read after downtime (no wall-clock time passes): two errors at 10:00, then the input's next
            // event two hours later (a quiet night, say). One partition, nothing lagging.
            f.log(T0.plusSeconds(10), SVC, "h1", "VPN_NOT_READY", "a");
            f.log(T0.plusSeconds(12), SVC, "h1", "VPN_NOT_READY", "b");
            f.log(T0.plusSeconds(7200), SVC, "h1", null, "two hours later");
            f.log(T0.plusSeconds(10800), SVC, "h1", null, "close everything");
            double dropped = WindowedAggregatesTest.dropped(f);

            List<JsonNode> tenOClock = f.aggregates.readRecordsToList().stream()
                    .map(r -> TopologyFixture.json(r.value()))
                    .filter(a -> a.at("/window/start").asText().equals(T0.toString())).toList();
            assertThat(tenOClock).as("the 10:00 window's results (dropped-records: " + dropped + ")")
                    .extracting(a -> a.get("kind").asText() + "=" + a.get("count").asLong())
                    .containsExactlyInAnyOrder("code=2", "class=2", "service-total=2");
        }
    }

    @Test
    void shouldEmitTheOpenWindowsWhenAPartitionJumpsTwoHoursAheadInOneStep() {
        try (TopologyFixture f = new TopologyFixture("")) {
            TestInputTopic<String, byte[]> repartition = AggregateWindowsTest.repartition(f);
            long window = T0.toEpochMilli();
            AggregateWindowsTest.partialAlone(repartition, "0_1", 60_000, window, T0.plusSeconds(10), 1);
            AggregateWindowsTest.partialAlone(repartition, "0_0", 60_000, window, T0.plusSeconds(10), 1);
            // Partition 0's next record is two hours ahead (a gap in its input, or one record with a clock ahead).
            AggregateWindowsTest.partialAlone(repartition, "0_0", 60_000, window + 7_200_000, T0.plusSeconds(7_210), 1);
            double dropped = WindowedAggregatesTest.dropped(f);
            // README: beyond an hour ahead "the oldest windows are emitted with what they have, before the store
            // would drop them".
            assertThat(f.aggregates.readRecordsToList()).as("the 10:00 window (dropped-records: " + dropped + ")")
                    .extracting(r -> TopologyFixture.json(r.value()))
                    .filteredOn(a -> a.at("/window/start").asText().equals(T0.toString()))
                    .extracting(a -> a.get("count").asLong()).containsExactly(2L);
        }
    }

    @Test
    void shouldEmitEveryWindowOfABacklogReadDuringTheStartUpHold() {
        // A restart after three hours of downtime (or a first start with auto.offset.reset=earliest): the backlog is
        // read in the first seconds, inside the start-up hold (one idle timeout of wall-clock time).
        try (TopologyFixture f = new TopologyFixture("", null, FaultlineTopology.COMBINE_MAX_PARTIALS, false)) {
            for (int minute = 0; minute <= 180; minute++) {
                f.log(T0.plusSeconds(60L * minute + 10), SVC, "h1", "VPN_NOT_READY", "backlog " + minute);
            }
            f.advanceWallClock(java.time.Duration.ofSeconds(31)); // the hold is over
            f.log(T0.plusSeconds(4 * 3600), SVC, "h1", null, "live again: closes everything read");
            double dropped = WindowedAggregatesTest.dropped(f);

            List<String> codeWindows = f.aggregates.readRecordsToList().stream()
                    .map(r -> TopologyFixture.json(r.value()))
                    .filter(a -> a.get("kind").asText().equals("code"))
                    .map(a -> a.at("/window/start").asText()).toList();
            assertThat(codeWindows).as("one 1m code window per backlog minute (dropped-records: " + dropped + ")")
                    .hasSize(181).contains(T0.toString());
        }
    }

    /**
     * A partial from a partition ahead moves its window store's time to its window; the window of a lagging
     * partition goes out (forced) only when that put would expire it from the store, not a window earlier: with
     * partition 0's partial at 11:02 (a lead of an hour and two minutes, a host's clock a little fast), the store
     * keeps 10:00 (retention 2 × 1m + 30s + 1h: windows from 09:59:30 on), so partition 1's window stays open.
     */
    @Test
    void shouldEmitAWindowNoEarlierThanAPutWouldExpireItFromTheStore() {
        try (TopologyFixture f = new TopologyFixture("")) {
            TestInputTopic<String, byte[]> repartition = AggregateWindowsTest.repartition(f);
            long window = T0.toEpochMilli();
            AggregateWindowsTest.watermark(repartition, "0_1", T0.plusSeconds(10), 0);
            AggregateWindowsTest.partialAlone(repartition, "0_1", 60_000, window, T0.plusSeconds(10), 1);
            AggregateWindowsTest.watermark(repartition, "0_0", T0.plusSeconds(3_600), 0);
            AggregateWindowsTest.partialAlone(repartition, "0_0", 60_000, window + 62 * 60_000,
                    T0.plusSeconds(62 * 60 + 10), 1);
            // partition 1 goes on in its 10:00 window
            AggregateWindowsTest.partialAlone(repartition, "0_1", 60_000, window, T0.plusSeconds(20), 1);
            AggregateWindowsTest.watermark(repartition, "0_1", T0.plusSeconds(20), 0);
            double dropped = WindowedAggregatesTest.dropped(f);
            assertThat(f.aggregates.readRecordsToList()).as("10:00 emitted while partition 1 is at 10:00:20 "
                    + "(dropped-records: " + dropped + ")")
                    .extracting(r -> TopologyFixture.json(r.value()))
                    .filteredOn(a -> a.at("/window/start").asText().equals(T0.toString())).isEmpty();
            assertThat(dropped).as("partition 1's on-time partial dropped").isZero();
        }
    }

    @Test
    void shouldEmitTheOpenWindowsOnceWhenEventTimeJumpsADayAhead() {
        try (TopologyFixture f = new TopologyFixture("")) {
            TestInputTopic<String, byte[]> repartition = AggregateWindowsTest.repartition(f);
            long window = T0.toEpochMilli();
            AggregateWindowsTest.partialAlone(repartition, "0_0", 60_000, window, T0.plusSeconds(10), 1);
            AggregateWindowsTest.partialAlone(repartition, "0_0", 60_000, window + 60_000, T0.plusSeconds(100), 3);
            AggregateWindowsTest.watermark(repartition, "0_0", T0.plusSeconds(100), 0); // closes 10:00 alone
            // A day of windows between the first not emitted and the next record's: only 10:01's holds anything.
            AggregateWindowsTest.partialAlone(repartition, "0_0", 60_000, window + 86_400_000,
                    T0.plus(Duration.ofDays(1)).plusSeconds(10), 1);
            assertThat(f.aggregates.readRecordsToList()).extracting(r -> TopologyFixture.json(r.value()))
                    .filteredOn(a -> a.get("kind").asText().equals("code"))
                    .extracting(a -> a.at("/window/start").asText() + "=" + a.get("count").asLong())
                    .containsExactly(T0 + "=1", T0.plusSeconds(60) + "=3");
        }
    }
}
