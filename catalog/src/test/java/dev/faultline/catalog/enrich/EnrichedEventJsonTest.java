package dev.faultline.catalog.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.catalog.event.LogEvent;
import dev.faultline.catalog.event.LogFormat;
import dev.faultline.catalog.load.CatalogLoader;
import dev.faultline.catalog.match.ErrorMatch;
import dev.faultline.catalog.match.MatchStage;
import dev.faultline.catalog.match.UnknownCode;
import dev.faultline.catalog.model.Catalog;
import dev.faultline.catalog.model.CatalogEntry;
import dev.faultline.catalog.model.CatalogSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The writer with entries rendered ahead must write exactly what writing every field gives. */
class EnrichedEventJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CatalogSet BUNDLED = new CatalogLoader().loadBundled().orThrow();

    private static LogEvent event(Long retryAfterMs) {
        return new LogEvent(LogFormat.JSON, "2026-11-21T10:00:00Z", 1_795_255_200_000L, "svc \"quoted\"", "h1",
                "error", "naïve — message\twith\u0001controls", List.of(), List.of(), retryAfterMs);
    }

    private static EnrichedEvent enriched(List<ErrorMatch> errors, Long retryAfterMs) {
        return new EnrichedEvent(event(retryAfterMs), SourceRef.kafka("logs", 3, 42L), errors,
                List.of(new UnknownCode("code", "NOPE")), "v1");
    }

    @Test
    void shouldWriteEveryBundledEntryByteForByteAsWritingEachFieldDoes() {
        EnrichedEventJson rendered = EnrichedEventJson.of(BUNDLED);
        int entries = 0;
        for (Catalog catalog : BUNDLED.catalogs()) {
            for (CatalogEntry entry : catalog.entries().values()) {
                ErrorMatch match = new ErrorMatch(entry, List.of(), entry.code(), MatchStage.TYPED, "error.code");
                for (Long retry : new Long[] {null, 1500L}) {
                    EnrichedEvent ev = enriched(List.of(match), retry);
                    byte[] expected = EnrichedEventJson.toBytes(ev, 8192);
                    assertThat(new String(rendered.bytes(ev, 8192), StandardCharsets.UTF_8))
                            .as(entry.key()).isEqualTo(new String(expected, StandardCharsets.UTF_8));
                }
                entries++;
            }
        }
        assertThat(entries).isEqualTo(BUNDLED.entryCount()).isGreaterThan(200);
    }

    @Test
    void shouldWriteTheCategoryAnUnknownCodesFormGivesAndNullWhereNoneDoes() throws Exception {
        EnrichedEvent ev = new EnrichedEvent(event(null), SourceRef.kafka("logs", 3, 42L), List.of(),
                List.of(new UnknownCode("code", "E2999", "nefia", "SSH"), new UnknownCode("code", "NOPE")), "v1");
        JsonNode unknown = JSON.readTree(EnrichedEventJson.of(BUNDLED).bytes(ev, 8192)).path("unknown_codes");
        assertThat(unknown.get(0).path("catalog").asText()).isEqualTo("nefia");
        assertThat(unknown.get(0).path("category").asText()).isEqualTo("SSH");
        assertThat(unknown.get(1).has("category")).isTrue();
        assertThat(unknown.get(1).path("category").isNull()).isTrue();
    }

    @Test
    void shouldGiveAnAmbiguousMatchWhoseCandidatesAreAllPermanentNoRetryHintOfTheEvent() throws Exception {
        List<CatalogEntry> permanent = new ArrayList<>();
        List<CatalogEntry> mixed = new ArrayList<>();
        BUNDLED.catalogs().forEach(c -> c.entries().values().forEach(e -> {
            if (e.transience() == dev.faultline.catalog.model.Transience.PERMANENT && permanent.size() < 2) {
                permanent.add(e);
            }
        }));
        mixed.add(permanent.get(0));
        BUNDLED.catalogs().forEach(c -> c.entries().values().stream()
                .filter(e -> e.transience() == dev.faultline.catalog.model.Transience.TRANSIENT).limit(1)
                .forEach(mixed::add));
        EnrichedEvent ev = enriched(List.of(
                new ErrorMatch(null, permanent, "-32001", MatchStage.TYPED, "error.code"),
                new ErrorMatch(null, mixed, "-32002", MatchStage.TYPED, "error.code")), 5000L);
        JsonNode tree = JSON.readTree(EnrichedEventJson.of(BUNDLED).bytes(ev, 8192));
        assertThat(tree.at("/errors/0/transience").asText()).isEqualTo("permanent");
        assertThat(tree.at("/errors/0/retry_after_ms").isNull()).as("retrying cannot help").isTrue();
        assertThat(tree.at("/errors/0/retry_after_source").isNull()).isTrue();
        assertThat(tree.at("/errors/1/retry_after_ms").asLong()).as("candidates disagree").isEqualTo(5000L);
        assertThat(tree.at("/errors/1/retry_after_source").asText()).isEqualTo("event");
    }

    @Test
    void shouldKeepSeveralErrorsAndAnAmbiguousOneValidJson() throws Exception {
        List<CatalogEntry> all = new ArrayList<>();
        BUNDLED.catalogs().forEach(c -> all.addAll(c.entries().values()));
        CatalogEntry a = all.get(0);
        CatalogEntry b = all.get(all.size() - 1);
        List<ErrorMatch> errors = List.of(
                new ErrorMatch(a, List.of(), a.code(), MatchStage.TYPED, "error.code"),
                new ErrorMatch(null, List.of(a, b), "-32001", MatchStage.FALLBACK, "message"),
                new ErrorMatch(b, List.of(), b.code(), MatchStage.FALLBACK, "message"));
        EnrichedEvent ev = enriched(errors, 250L);
        byte[] bytes = EnrichedEventJson.of(BUNDLED).bytes(ev, 8192);
        assertThat(bytes).isEqualTo(EnrichedEventJson.toBytes(ev, 8192));
        JsonNode tree = JSON.readTree(bytes);
        assertThat(tree.get("errors")).hasSize(3);
        assertThat(tree.at("/errors/0/title").asText()).isEqualTo(a.title());
        assertThat(tree.at("/errors/0/retry_after_source").asText()).isIn("event", "catalog");
        assertThat(tree.at("/errors/1/ambiguous").asBoolean()).isTrue();
        assertThat(tree.at("/errors/2/code").asText()).isEqualTo(b.code());
        assertThat(tree.at("/errors/2/docs").isMissingNode()).isFalse();
    }

    @Test
    void shouldWriteAnEntryOfAnotherSetFieldByField() {
        CatalogEntry entry = BUNDLED.catalogs().iterator().next().entries().values().iterator().next();
        // An equal entry, but not the same object: a writer for another catalog set has not rendered it.
        CatalogEntry copy = new CatalogEntry(entry.catalog(), entry.code(), "another title", entry.description(),
                entry.category(), entry.sourceType(), entry.errorClass(), entry.eCode(), entry.rpcCode(),
                entry.aliases(), entry.httpStatus(), entry.npsStatus(), entry.transience(), entry.transienceBasis(),
                entry.retryAfterMs(), entry.retryAfterNote(), entry.remediation(), entry.recoveryTool(),
                entry.recoveryToolNote(), entry.docs(), entry.notes());
        EnrichedEvent ev = enriched(List.of(new ErrorMatch(copy, List.of(), copy.code(), MatchStage.TYPED, "code")),
                null);
        assertThat(EnrichedEventJson.of(BUNDLED).bytes(ev, 8192)).isEqualTo(EnrichedEventJson.toBytes(ev, 8192));
        assertThat(new String(EnrichedEventJson.of(BUNDLED).bytes(ev, 8192), StandardCharsets.UTF_8))
                .contains("\"title\":\"another title\"");
    }
}
