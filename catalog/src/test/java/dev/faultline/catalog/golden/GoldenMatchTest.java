package dev.faultline.catalog.golden;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.catalog.enrich.EnrichedEvent;
import dev.faultline.catalog.enrich.EnrichedEventJson;
import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.catalog.enrich.EnricherConfig;
import dev.faultline.catalog.enrich.ProcessOutcome;
import dev.faultline.catalog.enrich.SourceRef;
import dev.faultline.catalog.match.CatalogIndex;
import dev.faultline.catalog.model.CatalogEntry;
import dev.faultline.catalog.testing.TestEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests over every token of every seed: the index resolves it as the table says, and a
 * typed log line and a free-text log line carrying it, run through the same parser, matcher and
 * enrichment as the stream, come out with the right catalog, code, category, class and transience.
 */
class GoldenMatchTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Enricher ENRICHER =
            Enricher.create(TestEvents.bundled(), EnricherConfig.defaults().withBindings(TestEvents.BINDINGS));
    private static final CatalogIndex INDEX = ENRICHER.matcher().index();

    static Stream<GoldenTable.Row> rows() {
        return GoldenTable.load().rows().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void shouldResolveEverySeedTokenAsTheGoldenTableSays(GoldenTable.Row row) {
        List<String> codes = INDEX.lookup(row.token(), Optional.of(row.catalog())).stream()
                .map(CatalogEntry::code).sorted().toList();
        if (row.ambiguous()) {
            assertThat(codes).containsExactlyElementsOf(row.ambiguousCodes().stream().sorted().toList());
        } else {
            assertThat(codes).containsExactly(row.expectedCode());
            CatalogEntry e = TestEvents.bundled().catalog(row.catalog()).orElseThrow().entry(row.expectedCode()).orElseThrow();
            assertThat(e.errorClass().wire()).isEqualTo(row.expectedClass());
            assertThat(e.transience().wire()).isEqualTo(row.expectedTransience());
            assertThat(e.category()).isEqualTo(row.expectedCategory());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void shouldFindAndEnrichEverySeedTokenInATypedLogLine(GoldenTable.Row row) throws IOException {
        String service = "svc-" + row.catalog();
        String line = typedLine(row, service);
        assertSingleError(line, service, row, "typed");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void shouldFindAndEnrichEverySeedTokenInAFreeTextLogLine(GoldenTable.Row row) throws IOException {
        String service = "svc-" + row.catalog();
        // With code context, every token counts; plain words and RPC numbers need it.
        assertSingleError("2026-11-21T10:15:30.123Z ERROR request 7 failed: code=" + row.token() + " (attempt 2)",
                service, row, "fallback");
        if (!INDEX.needsContext(row.token())) {
            assertSingleError("<11>1 2026-11-21T10:15:30Z host-3 " + service + " 4711 - - request failed with "
                    + row.token() + ", giving up", service, row, "fallback");
        }
    }

    /** Each catalog's tokens in the structured shape its system really logs. */
    private static String typedLine(GoldenTable.Row row, String service) {
        String t = row.token();
        if (row.rpc()) {
            return "{\"time\":\"2026-11-21T10:15:30Z\",\"service\":\"" + service + "\",\"level\":\"error\","
                    + "\"msg\":\"rpc call failed\",\"response\":{\"jsonrpc\":\"2.0\",\"id\":7,"
                    + "\"error\":{\"code\":" + t + ",\"message\":\"failed\"}}}";
        }
        return switch (row.catalog()) {
            case "nefia" -> "ts=2026-11-21T10:15:30Z level=error service=" + service
                    + " msg=\"exec failed\" err_code=" + t;
            case "foundry-mcp" -> "{\"timestamp\":\"2026-11-21T10:15:30Z\",\"service\":\"" + service + "\","
                    + "\"success\":false,\"data\":{\"error_code\":\"" + t + "\",\"error_type\":\"x\"},"
                    + "\"error\":\"Human-readable error message\"}";
            case "agent-tasks" -> "{\"level\":50,\"time\":1795256130000,\"service\":\"" + service + "\","
                    + "\"msg\":\"request failed\",\"err\":{\"type\":\"DomainError\",\"code\":\"" + t + "\"}}";
            case "nps" -> "{\"@timestamp\":\"2026-11-21T10:15:30.000Z\",\"ecs.version\":\"8.11.0\","
                    + "\"service\":{\"name\":\"" + service + "\"},\"log.level\":\"error\","
                    + "\"message\":\"frame rejected\",\"error\":{\"code\":\"" + t + "\"}}";
            default -> "{\"time\":\"2026-11-21T10:15:30Z\",\"service\":\"" + service + "\",\"level\":\"error\","
                    + "\"message\":\"failed\",\"error_code\":\"" + t + "\"}";
        };
    }

    private static void assertSingleError(String line, String service, GoldenTable.Row row, String stage)
            throws IOException {
        ProcessOutcome outcome = ENRICHER.process(line.getBytes(StandardCharsets.UTF_8),
                SourceRef.file("golden.log", 1), service);
        assertThat(outcome).as(line).isInstanceOf(ProcessOutcome.Enriched.class);
        List<EnrichedEvent> events = ((ProcessOutcome.Enriched) outcome).events();
        assertThat(events).as(line).hasSize(1);
        JsonNode json = JSON.readTree(EnrichedEventJson.toBytes(events.get(0), 8192));
        JsonNode errors = json.get("errors");
        assertThat(errors).as(line).hasSize(1);
        JsonNode error = errors.get(0);
        assertThat(error.get("stage").asText()).as(line).isEqualTo(stage);
        if (row.ambiguous()) {
            assertThat(error.get("ambiguous").asBoolean()).as(line).isTrue();
            assertThat(error.get("candidates")).extracting(c -> c.get("code").asText())
                    .containsExactlyInAnyOrderElementsOf(row.ambiguousCodes());
            return;
        }
        assertThat(error.get("ambiguous").asBoolean()).as(line).isFalse();
        assertThat(error.get("catalog").asText()).as(line).isEqualTo(row.catalog());
        assertThat(error.get("code").asText()).as(line).isEqualTo(row.expectedCode());
        assertThat(error.get("class").asText()).as(line).isEqualTo(row.expectedClass());
        assertThat(error.get("transience").asText()).as(line).isEqualTo(row.expectedTransience());
        assertThat(error.get("category").asText()).as(line).isEqualTo(row.expectedCategory());
        assertThat(json.get("unknown_codes")).as(line).isEmpty();
    }
}
