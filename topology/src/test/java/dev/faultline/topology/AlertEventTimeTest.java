package dev.faultline.topology;

import static dev.faultline.topology.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Alerts resolve on the slowest input partition's event time. The test driver runs one task per sub-topology, so
 * two input partitions' enrich tasks are played by writing ticks (named {@code 0_0} and {@code 0_1}) and
 * occurrences straight into the alert repartition topic. Defaults: window 1m, min-count 20, hold-down 2m.
 */
class AlertEventTimeTest {
    private static final String SVC = "nefia-agent";

    @Test
    void shouldNotResolveAFiringAlertWhileAnotherPartitionRunsAheadInEventTime() {
        try (TopologyFixture f = new TopologyFixture("")) {
            TestInputTopic<String, byte[]> topic = repartition(f);
            fireFromPartitionOne(f, topic);

            // Partition 0 reads on, ten minutes ahead; partition 1 is still busy at its spike.
            for (int s = 60; s <= 600; s += 60) {
                tick(topic, "0_0", T0.plusSeconds(s));
            }
            tick(topic, "0_1", T0.plusSeconds(58));
            assertThat(statuses(f)).as("partition 1 has not got past its spike").isEmpty();

            for (int s = 60; s <= 600; s += 60) {
                tick(topic, "0_1", T0.plusSeconds(s));
            }
            assertThat(statuses(f)).containsExactly("resolved", "resolved"); // the code and the class series
        }
    }

    @Test
    void shouldKeepOneEpisodeWhenAnotherPartitionsOccurrencesRunAheadOfAStillSpikingOne() {
        try (TopologyFixture f = new TopologyFixture("")) {
            TestInputTopic<String, byte[]> topic = repartition(f);
            fireFromPartitionOne(f, topic);

            // Partition 0, ahead in a backlog, holds one occurrence of the same code at 10:06.
            tick(topic, "0_0", T0.plusSeconds(360));
            occurrences(topic, T0.plusSeconds(360));
            // Partition 1 stays at its spike rate, 20 a minute, through 10:01 .. 10:06: those windows are not empty.
            for (int minute = 1; minute <= 6; minute++) {
                for (int i = 0; i < 20; i++) {
                    Instant t = T0.plusSeconds(60L * minute + 2L * i);
                    tick(topic, "0_1", t);
                    occurrences(topic, t);
                }
            }
            assertThat(f.alerts.readRecordsToList()).as("no resolve, and no second episode")
                    .allMatch(r -> TopologyFixture.json(r.value()).get("reminder").asBoolean());

            // Both partitions go on, quiet: the spike ends, and each series resolves once.
            for (int s = 420; s <= 720; s += 60) {
                tick(topic, "0_0", T0.plusSeconds(s));
                tick(topic, "0_1", T0.plusSeconds(s));
            }
            assertThat(statuses(f)).containsExactly("resolved", "resolved");
        }
    }

    @Test
    void shouldFireOnALaggingPartitionsSpikeOfASeriesFirstSeenFromAPartitionAhead() {
        try (TopologyFixture f = new TopologyFixture("")) {
            assertThat(laggingPartitionSpikeAfterOneAheadSawTheSeries(f)).containsExactly("firing", "firing");
        }
    }

    /**
     * Partition 0, ahead in a backlog, is the first to see the series (one occurrence at 10:06); then partition 1
     * spikes at 10:01, a window still to be judged. The alerts that gives.
     */
    private static List<String> laggingPartitionSpikeAfterOneAheadSawTheSeries(TopologyFixture f) {
        TestInputTopic<String, byte[]> topic = repartition(f);
        tick(topic, "0_0", T0);
        tick(topic, "0_1", T0);
        tick(topic, "0_0", T0.plusSeconds(360));
        occurrences(topic, T0.plusSeconds(360));
        for (int i = 0; i < 20; i++) {
            Instant t = T0.plusSeconds(60 + 2L * i);
            tick(topic, "0_1", t);
            occurrences(topic, t);
        }
        return statuses(f);
    }

    @Test
    void shouldResolveOnTheOtherPartitionsTimeOnceOneHasBeenSilentForTheIdleTimeout() {
        try (TopologyFixture f = new TopologyFixture("")) {
            TestInputTopic<String, byte[]> topic = repartition(f);
            fireFromPartitionOne(f, topic);
            for (int s = 60; s <= 600; s += 60) {
                tick(topic, "0_0", T0.plusSeconds(s));
            }
            f.advanceWallClock(Duration.ofSeconds(29));
            assertThat(statuses(f)).isEmpty();

            // Partition 0 is still live (same event time, nothing new in it); partition 1 has been silent for 31 s.
            tick(topic, "0_0", T0.plusSeconds(600));
            f.advanceWallClock(Duration.ofSeconds(2));
            assertThat(statuses(f)).containsExactly("resolved", "resolved");
        }
    }

    @Test
    void shouldResolveAfterTheHoldDownWhenTheWholeInputFallsSilent() {
        try (TopologyFixture f = new TopologyFixture("")) {
            TestInputTopic<String, byte[]> topic = repartition(f);
            fireFromPartitionOne(f, topic); // the newest time heard is 10:00:38
            // The spike window 10:00 is followed by the normal window 10:01, and the 2m hold-down from 10:01
            // ends at 10:03: 142 s of silence after 10:00:38, if time goes on with the wall clock.
            f.advanceWallClock(Duration.ofSeconds(29));
            assertThat(statuses(f)).as("not idle yet").isEmpty();
            f.advanceWallClock(Duration.ofSeconds(101));
            assertThat(statuses(f)).as("10:02:48: inside the hold-down").isEmpty();

            f.advanceWallClock(Duration.ofSeconds(20));
            assertThat(statuses(f)).as("10:03:08").containsExactly("resolved", "resolved");
        }
    }

    @Test
    void shouldNotTakeAStallOfItsOwnThreadForSilentInput() {
        try (TopologyFixture f = new TopologyFixture("")) {
            TestInputTopic<String, byte[]> topic = repartition(f);
            fireFromPartitionOne(f, topic);
            // Four minutes without a punctuation: long enough to pass the hold-down, had it been watched silence.
            f.driver.advanceWallClockTime(Duration.ofSeconds(240));
            assertThat(statuses(f)).as("just after the stall").isEmpty();

            f.advanceWallClock(Duration.ofSeconds(150));
            assertThat(statuses(f)).as("142 s of watched silence after 10:00:38").containsExactly("resolved",
                    "resolved");
        }
    }

    /** 20 VPN_NOT_READY occurrences from partition 1 inside the 10:00 window: the code and class alerts fire. */
    @Test
    void shouldNotResolveAnEpisodeFiredFromAWindowAheadOnTheQuietWindowsBeforeIt() {
        try (TopologyFixture f = new TopologyFixture("")) {
            TestInputTopic<String, byte[]> topic = repartition(f);
            tick(topic, "0_0", T0);
            tick(topic, "0_1", T0);
            // Partition 1 is five minutes ahead in a backlog and spikes at 10:05: the code and class alerts fire.
            for (int i = 0; i < 20; i++) {
                Instant t = T0.plusSeconds(300 + 2L * i);
                tick(topic, "0_1", t);
                occurrences(topic, t);
            }
            assertThat(statuses(f)).containsExactly("firing", "firing");
            // Partition 0 reads on through 10:00-10:02, before the spike: quiet windows, judged now.
            for (int s = 15; s <= 120; s += 15) {
                tick(topic, "0_0", T0.plusSeconds(s));
            }
            Instant t = T0.plusSeconds(341); // the spike goes on in partition 1
            tick(topic, "0_1", t);
            occurrences(topic, t);

            assertThat(statuses(f)).as("no resolve on windows before the episode, so no second episode").isEmpty();
        }
    }

    @Test
    void shouldFireOnALaggingPartitionsSpikeDuringTheStartUpHold() {
        // Every start, restart and rebalance begins with the hold, when the slowest partition is not known for sure.
        try (TopologyFixture f = new TopologyFixture("", null, FaultlineTopology.COMBINE_MAX_PARTIALS, false)) {
            assertThat(laggingPartitionSpikeAfterOneAheadSawTheSeries(f)).containsExactly("firing", "firing");
        }
    }

    @Test
    void shouldKeepFiringThroughASpikeWhileOneHostsClockRunsMinutesFast() {
        try (TopologyFixture f = new TopologyFixture("")) {
            for (int s = 0; s < 600; s += 3) { // a steady spike, 20 a minute, for ten minutes
                Instant t = T0.plusSeconds(s);
                f.logAt(t, TopologyFixture.line(t, SVC, "h1", "VPN_NOT_READY", "vpn down"));
                if (s >= 120 && s % 9 == 0) { // from 10:02, host h9, its clock four minutes fast, logs info lines
                    f.logAt(t, TopologyFixture.line(t.plusSeconds(240), SVC, "h9", null, "ok"));
                }
            }

            // One episode per series (firings and their reminders), never resolved in the middle of the spike.
            assertThat(statuses(f)).hasSizeGreaterThanOrEqualTo(2).containsOnly("firing");
        }
    }

    private static void fireFromPartitionOne(TopologyFixture f, TestInputTopic<String, byte[]> topic) {
        tick(topic, "0_0", T0);
        for (int i = 0; i < 20; i++) {
            Instant t = T0.plusSeconds(2L * i);
            tick(topic, "0_1", t);
            occurrences(topic, t);
        }
        assertThat(statuses(f)).containsExactly("firing", "firing");
    }

    /** One VPN_NOT_READY occurrence at {@code t}: in the code series and in the class series. */
    private static void occurrences(TestInputTopic<String, byte[]> topic, Instant t) {
        for (String kind : List.of(Occurrence.CODE, Occurrence.CLASS)) {
            Occurrence o = Occurrence.of(kind, SVC, "nefia", "VPN_NOT_READY", "unavailable", "transient", "h1",
                    "vpn down", t.toEpochMilli());
            topic.pipeInput(AlertJson.fingerprint(o), FaultlineSerdes.OCCURRENCE.serializer().serialize("t", o), t);
        }
    }

    private static void tick(TestInputTopic<String, byte[]> topic, String source, Instant t) {
        topic.pipeInput(Occurrence.TICK, FaultlineSerdes.OCCURRENCE.serializer().serialize("t",
                Occurrence.tick(t.toEpochMilli(), source)), t);
    }

    private static List<String> statuses(TopologyFixture f) {
        return f.alerts.readRecordsToList().stream().map(r -> TopologyFixture.json(r.value()).get("status").asText())
                .toList();
    }

    private static TestInputTopic<String, byte[]> repartition(TopologyFixture f) {
        String appId = f.config.streamsProperties().getProperty("application.id");
        return f.driver.createInputTopic(appId + "-" + FaultlineTopology.ALERT_REPARTITION + "-repartition",
                Serdes.String().serializer(), Serdes.ByteArray().serializer());
    }
}
