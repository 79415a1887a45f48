package dev.faultline.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The safety rules of {@link PartitionClock}, on random runs of upstream tasks (three of them) reporting times and
 * idleness while the wall clock moves on in small steps and, now and then, in stalls of the clock's own thread.
 */
class PartitionClockPropertiesTest {
    private static final Duration IDLE = Duration.ofSeconds(30);
    private static final long IDLE_MS = IDLE.toMillis();
    private static final long STALL_MS = Math.max(1000, IDLE.toMillis() / 4);

    /** One step: the wall clock moves on by {@code waitMs}, then {@code source} (if not null) reports. */
    record Step(long waitMs, String source, long advanceMs, long idleMs) {
    }

    @Provide
    Arbitrary<List<Step>> runs() {
        Arbitrary<Long> wait = Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.longs().between(0, 2_000)),
                Tuple.of(1, Arbitraries.longs().between(STALL_MS + 1, 5 * IDLE_MS)));
        Arbitrary<String> source = Arbitraries.of("0_0", "0_1", "0_2").injectNull(0.4);
        Arbitrary<Long> advance = Arbitraries.longs().between(-5_000, 20_000);
        Arbitrary<Long> idle = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(0L)),
                Tuple.of(1, Arbitraries.longs().between(0, 2 * IDLE_MS)));
        return Combinators.combine(wait, source, advance, idle).as(Step::new).list().ofMinSize(1).ofMaxSize(200);
    }

    @Property(tries = 300)
    void aTaskThatReportedProgressWithinTheTimeoutIsNeverOvertaken(@ForAll("runs") List<Step> run) {
        play(run, (clock, now, model) -> {
            long t = clock.slowest(now, Long.MIN_VALUE);
            for (Reported r : model.values()) {
                if (r.idleMs == 0 && now - r.at < IDLE_MS) {
                    assertThat(t).as("time of a task heard %d ms ago", now - r.at).isLessThanOrEqualTo(r.newest);
                }
            }
        });
    }

    @Property(tries = 300)
    void silenceMovesTimeOnByNoMoreThanTheWallClockWatchedSinceTheLastStall(@ForAll("runs") List<Step> run) {
        long[] watchingSince = {0};
        long[] last = {0};
        play(run, (clock, now, model) -> {
            if (now - last[0] > STALL_MS) {
                watchingSince[0] = now;
            }
            last[0] = now;
            long t = clock.slowest(now, Long.MIN_VALUE);
            long newest = model.values().stream().mapToLong(r -> r.newest).max().orElse(Long.MIN_VALUE);
            if (newest != Long.MIN_VALUE) {
                assertThat(t).isLessThanOrEqualTo(newest + (now - watchingSince[0]));
            }
            if (now == watchingSince[0]) {
                assertThat(t).as("right after a stall (or the start) time does not move past the newest report")
                        .isLessThanOrEqualTo(newest);
            }
        });
    }

    /** What the model knows of one task: its newest time, when it was last heard, what idleness it reported. */
    private static final class Reported {
        long newest = Long.MIN_VALUE;
        long at;
        long idleMs;
    }

    private interface Check {
        void after(PartitionClock clock, long now, Map<String, Reported> model);
    }

    private static void play(List<Step> run, Check check) {
        PartitionClock clock = new PartitionClock(IDLE);
        long now = 0;
        clock.start(now, "test");
        Map<String, Reported> model = new HashMap<>();
        Map<String, Long> times = new HashMap<>();
        for (Step s : run) {
            now += s.waitMs();
            clock.ready(now);
            if (s.source() != null) {
                long time = times.merge(s.source(), 1_000_000L + s.advanceMs(), (a, b) -> a + s.advanceMs());
                long newest = clock.heard(s.source(), time, s.idleMs(), now);
                Reported r = model.computeIfAbsent(s.source(), k -> new Reported());
                r.newest = newest;
                r.at = now;
                r.idleMs = s.idleMs();
            }
            check.after(clock, now, model);
        }
    }
}
