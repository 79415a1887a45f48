package dev.faultline.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.catalog.load.CatalogLoader;
import dev.faultline.config.FaultlineConfig;
import dev.faultline.ops.OpsServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The query API's local routes and its input checks, on an ops server without Kafka Streams (the
 * store-backed and cross-instance paths are covered by {@code QueryApiTwoInstancesEndToEndTest}).
 */
class QueryApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static OpsServer server;
    private static QueryApi api;
    private static Enricher enricher;

    @BeforeAll
    static void start() throws IOException {
        FaultlineConfig config = FaultlineConfig.defaults();
        enricher = Enricher.create(new CatalogLoader().loadBundled().orThrow(), config.enricherConfig());
        server = OpsServer.builder().port(0).build();
        api = QueryApi.create(config, () -> null, () -> enricher, "127.0.0.1:" + server.port());
        api.mountOn(server);
        server.start();
    }

    @AfterAll
    static void stop() {
        api.close();
        server.close();
    }

    private record Got(int status, JsonNode body) {
    }

    private static Got get(String pathAndQuery) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + pathAndQuery)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct)
                .startsWith("application/json"));
        return new Got(r.statusCode(), JSON.readTree(r.body()));
    }

    @Test
    void explainAnswersOneCodesFullEntryInAnyOfItsForms() throws Exception {
        Got byCode = get("/api/explain/SSH_AUTH_FAILED");
        Got byECode = get("/api/explain/E2001");

        assertThat(byCode.status()).isEqualTo(200);
        JsonNode e = byCode.body();
        assertThat(e.path("ambiguous").asBoolean()).isFalse();
        assertThat(e.path("catalog").asText()).isEqualTo("nefia");
        assertThat(e.path("code").asText()).isEqualTo("SSH_AUTH_FAILED");
        assertThat(e.path("catalog_version").asText()).isNotBlank();
        assertThat(e.path("aliases").toString()).contains("E2001");
        assertThat(e.path("title").asText()).isNotBlank();
        assertThat(e.path("class").asText()).isEqualTo("authentication");
        assertThat(e.path("transience").asText()).isIn("transient", "permanent", "conditional");
        assertThat(e.path("remediation").isArray()).isTrue();
        assertThat(e.has("retry_after_ms")).isTrue();
        assertThat(e.has("recovery_tool")).isTrue();
        assertThat(e.has("shared_tokens")).isTrue();
        assertThat(byECode.body()).isEqualTo(e);
    }

    @Test
    void explainListsTheCandidatesOfAnAmbiguousCodeAndACatalogNarrowsItToOne() throws Exception {
        Got ambiguous = get("/api/explain/-32001");

        assertThat(ambiguous.status()).isEqualTo(200);
        assertThat(ambiguous.body().path("ambiguous").asBoolean()).isTrue();
        List<String> catalogs = new ArrayList<>();
        ambiguous.body().path("candidates").forEach(c -> {
            catalogs.add(c.path("catalog").asText());
            assertThat(c.path("title").asText()).isNotBlank();
        });
        assertThat(catalogs).hasSizeGreaterThan(1);
        String once = catalogs.stream().filter(c -> catalogs.indexOf(c) == catalogs.lastIndexOf(c)).findFirst()
                .orElseThrow();
        Got scoped = get("/api/explain/-32001?catalog=" + once);
        assertThat(scoped.status()).isEqualTo(200);
        assertThat(scoped.body().path("ambiguous").asBoolean()).isFalse();
        assertThat(scoped.body().path("catalog").asText()).isEqualTo(once);
    }

    @Test
    void explainAnswers404ForAnUnknownCodeOrCatalogWithoutEchoingTheRequest() throws Exception {
        Got unknown = get("/api/explain/NO_SUCH_CODE_XYZ");
        Got unknownCatalog = get("/api/explain/E2001?catalog=nope-catalog");
        Got empty = get("/api/explain/");
        Got nested = get("/api/explain/E2001/more");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().toString()).doesNotContain("NO_SUCH_CODE_XYZ");
        assertThat(unknownCatalog.status()).isEqualTo(404);
        assertThat(unknownCatalog.body().toString()).doesNotContain("nope-catalog");
        assertThat(empty.status()).isEqualTo(404);
        assertThat(nested.status()).isEqualTo(404);
    }

    @Test
    void explainDecodesPercentEncodedCodes() throws Exception {
        Got encoded = get("/api/explain/%45%32%30%30%31");

        assertThat(encoded.status()).isEqualTo(200);
        assertThat(encoded.body().path("code").asText()).isEqualTo("SSH_AUTH_FAILED");
    }

    @Test
    void catalogsListsEveryLoadedCatalogWithItsVersion() throws Exception {
        Got got = get("/api/catalogs");

        assertThat(got.status()).isEqualTo(200);
        assertThat(got.body().path("catalog_version").asText()).isEqualTo(enricher.catalogs().versionStamp());
        List<String> ids = new ArrayList<>();
        got.body().path("catalogs").forEach(c -> {
            ids.add(c.path("id").asText());
            assertThat(c.path("version").asText()).isNotBlank();
            assertThat(c.path("entries").asInt()).isPositive();
        });
        assertThat(ids).containsExactlyInAnyOrder("nefia", "agent-tasks", "foundry-mcp", "vault-rpc", "nps");
    }

    @Test
    void topCodesRejectsAMissingServiceAndAnOutOfRangeWindowCount() throws Exception {
        assertThat(get("/api/top-codes").status()).isEqualTo(400);
        assertThat(get("/api/top-codes?service=").status()).isEqualTo(400);
        assertThat(get("/api/top-codes?service=a&windows=0").status()).isEqualTo(400);
        assertThat(get("/api/top-codes?service=a&windows=61").status()).isEqualTo(400);
        assertThat(get("/api/top-codes?service=a&windows=two").status()).isEqualTo(400);
    }

    @Test
    void storeBackedQueriesAnswer503UntilKafkaStreamsRuns() throws Exception {
        assertThat(get("/api/top-codes?service=a").status()).isEqualTo(503);
        assertThat(get("/api/alerts/active").status()).isEqualTo(503);
    }

    @Test
    void unknownPathsAnswer404() throws Exception {
        for (String path : List.of("/api", "/api/", "/api/explain", "/api/config", "/api/top-codes/x", "/api/alerts",
                "/api/alerts/active/x", "/api/catalogs/nefia", "/config", "/env")) {
            assertThat(get(path).status()).as(path).isEqualTo(404);
        }
    }

    @Test
    void percentDecodingIsStrictAndKeepsPlus() {
        assertThat(QueryApi.percentDecode("a%2Fb+c")).isEqualTo("a/b+c");
        assertThat(QueryApi.percentDecode("%zz")).isNull();
        assertThat(QueryApi.percentDecode("%4")).isNull();
    }
}
