package dev.faultline.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.catalog.enrich.EnrichedEvent;
import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.catalog.enrich.EnricherConfig;
import dev.faultline.catalog.enrich.ProcessOutcome;
import dev.faultline.catalog.enrich.SourceRef;
import dev.faultline.catalog.load.CatalogLoader;
import dev.faultline.catalog.match.ErrorMatch;
import dev.faultline.catalog.match.ServiceBinding;
import dev.faultline.catalog.model.Catalog;
import dev.faultline.catalog.model.CatalogEntry;
import dev.faultline.catalog.model.CatalogSet;
import dev.faultline.catalog.model.Transience;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class LogGeneratorTest {
    private static final CatalogSet CATALOGS = new CatalogLoader().loadBundled().orThrow();
    private static final Instant T0 = Instant.parse("2026-11-21T06:50:00Z");

    static List<ServiceBinding> bindings() {
        List<ServiceBinding> out = new ArrayList<>();
        for (SeedSystem s : SeedSystem.values()) {
            out.add(new ServiceBinding(s.serviceGlob(), List.of(s.catalogId())));
        }
        return out;
    }

    private static final Enricher ENRICHER = Enricher.create(CATALOGS, EnricherConfig.defaults().withBindings(bindings()));

    /** What the real enricher finds in a record: catalog:code per error, in order, or the unreadable reason. */
    private static List<String> findings(GeneratedRecord r) {
        ProcessOutcome outcome = ENRICHER.process(r.value(), SourceRef.kafka(r.topic(), 0, 0), null);
        if (outcome instanceof ProcessOutcome.Unreadable u) {
            return List.of("unreadable:" + u.reason().wire());
        }
        List<String> out = new ArrayList<>();
        for (EnrichedEvent e : ((ProcessOutcome.Enriched) outcome).events()) {
            for (ErrorMatch m : e.errors()) {
                out.add(e.event().service() + "|" + (m.entry() == null ? "ambiguous:" + m.matched() : m.entry().key()));
            }
            e.unknownCodes().forEach(u -> out.add("unknown:" + u.value()));
        }
        return out;
    }

    private static List<String> expected(GeneratedRecord r) {
        if (r.bad()) {
            return List.of("unreadable:" + r.badReason());
        }
        return r.errors().stream().map(x -> x.service() + "|" + x.key()).toList();
    }

    @Test
    void theEnricherFindsExactlyTheErrorsEachRecordWasGeneratedWith() {
        LogGenerator g = new LogGenerator(CATALOGS, 7, GeneratorProfile.defaults().withBadRatio(0.02));
        for (int i = 0; i < 5_000; i++) {
            GeneratedRecord r = g.next(T0.plusMillis(i));
            assertThat(findings(r)).as("record %d (%s): %s", i, r.format(), r.valueText()).isEqualTo(expected(r));
        }
    }

    @Test
    void everyCodeOfEveryCatalogCanBeWrittenInEveryFormatItAllowsAndIsFoundAsThatCode() {
        LogGenerator g = new LogGenerator(CATALOGS, 1, GeneratorProfile.defaults());
        int checked = 0;
        for (Catalog c : CATALOGS.catalogs()) {
            SeedSystem system = SeedSystem.byCatalog(c.id()).orElseThrow();
            for (CatalogEntry entry : c.entries().values()) {
                for (WireFormat f : g.formatsFor(entry)) {
                    GeneratedRecord r = g.error(T0, entry, system.services().get(0), f);
                    assertThat(findings(r).get(0)).as("%s as %s: %s", entry.key(), f, r.valueText())
                            .endsWith("|" + entry.key());
                    assertThat(findings(r)).isEqualTo(expected(r));
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(CATALOGS.entryCount() * 4);
    }

    @Test
    void normalTrafficCoversAllSystemsAllFormatsAndAboutTenPercentErrors() {
        LogGenerator g = new LogGenerator(CATALOGS, 3, GeneratorProfile.defaults());
        Set<WireFormat> formats = EnumSet.noneOf(WireFormat.class);
        Set<String> services = new HashSet<>();
        Set<String> codes = new HashSet<>();
        long events = 0;
        long errors = 0;
        for (int i = 0; i < 20_000; i++) {
            GeneratedRecord r = g.next(T0);
            formats.add(r.format());
            services.add(r.service());
            r.errors().forEach(e -> codes.add(e.key()));
            events += r.events();
            errors += r.errors().size();
        }
        assertThat(formats).containsExactlyInAnyOrder(WireFormat.values());
        assertThat(services).containsAll(SeedSystem.NEFIA.services()).containsAll(SeedSystem.NPS.services());
        assertThat((double) errors / events).isBetween(0.08, 0.12);
        assertThat(codes.size()).as("distinct codes seen").isGreaterThan(CATALOGS.entryCount() / 2);
    }

    @Test
    void theSameSeedAndTimesGiveTheSameBytes() {
        LogGenerator a = new LogGenerator(CATALOGS, 99, GeneratorProfile.defaults().withBadRatio(0.05));
        LogGenerator b = new LogGenerator(CATALOGS, 99, GeneratorProfile.defaults().withBadRatio(0.05));
        for (int i = 0; i < 500; i++) {
            assertThat(a.next(T0.plusSeconds(i)).value()).isEqualTo(b.next(T0.plusSeconds(i)).value());
        }
    }

    @Test
    void spikeRecordsCarryTheConfiguredTransientCodeFromItsService() {
        GeneratorProfile.Spike spike = new GeneratorProfile.Spike(Duration.ofSeconds(5), Duration.ofSeconds(10), 20,
                "nefia", "VPN_NOT_READY", "nefia-agent");
        LogGenerator g = new LogGenerator(CATALOGS, 5, GeneratorProfile.defaults().withSpike(spike));
        assertThat(g.entry("nefia", "VPN_NOT_READY").transience()).isEqualTo(Transience.TRANSIENT);
        for (int i = 0; i < 200; i++) {
            GeneratedRecord r = g.spike(T0);
            assertThat(r.service()).isEqualTo("nefia-agent");
            assertThat(r.errors().get(0).key()).isEqualTo("nefia:VPN_NOT_READY");
            assertThat(r.errors().get(0).service()).isIn("nefia-agent", null); // null: a plain text line names none
            assertThat(findings(r)).isEqualTo(expected(r));
        }
        assertThat(spike.active(Duration.ofSeconds(4))).isFalse();
        assertThat(spike.active(Duration.ofSeconds(5))).isTrue();
        assertThat(spike.active(Duration.ofSeconds(15))).isFalse();
    }

    @Test
    void theProducerLoopSendsTheNormalRateAndTheSpikeOnTopThenStopsAtItsDuration() throws Exception {
        GeneratorProfile.Spike spike = new GeneratorProfile.Spike(Duration.ofSeconds(10), Duration.ofSeconds(5), 30,
                "foundry-mcp", "RATE_LIMIT_EXCEEDED", "foundry-mcp");
        GeneratorProfile profile = GeneratorProfile.defaults().withRate(20).withSpike(spike);
        LogGenerator g = new LogGenerator(CATALOGS, 11, profile);
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        ProducerLoop loop = new ProducerLoop(producer, g, new SteppingClock(T0, Duration.ofMillis(500)),
                Duration.ofSeconds(30));
        loop.run(); // the stepping clock makes 30 simulated seconds pass in 60 ticks

        assertThat(loop.isDone()).isTrue();
        assertThat(loop.spikeRecords()).isEqualTo(150);
        assertThat(loop.records() - loop.spikeRecords()).isBetween(580L, 600L);
        assertThat(producer.history()).hasSize((int) loop.records());
        assertThat(producer.history()).allSatisfy(rec -> assertThat(rec.topic()).isEqualTo("logs"));
    }

    /** A clock that moves forward a fixed step every time it is read: simulated time without waiting. */
    private static final class SteppingClock extends Clock {
        private Instant now;
        private final Duration step;

        SteppingClock(Instant start, Duration step) {
            this.now = start;
            this.step = step;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public synchronized Instant instant() {
            Instant t = now;
            now = now.plus(step);
            return t;
        }
    }
}
