package dev.faultline.catalogs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.catalog.enrich.EnricherConfig;
import dev.faultline.catalog.load.CatalogLoader;
import dev.faultline.catalog.load.CatalogValidationException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Applying catalog topic content: per catalog id, idempotent, the whole topic at start. */
class LiveCatalogsTest {
    private final List<Boolean> reloads = new ArrayList<>();
    private final LiveCatalogs live = LiveCatalogs.create(CatalogLoader.bundledSources(), EnricherConfig.defaults(),
            "faultline.catalog", reloads::add);

    @Test
    void theWholeTopicAtStartAppliesEveryValidCatalogAndRejectsOnlyTheInvalidOne() {
        live.updateAll(Map.of(
                "acme", doc("acme", "1", "unavailable"),
                "beta", doc("beta", "7", "no-such-class"),
                "gamma", doc("gamma", "2", "timeout")));

        assertThat(live.version()).endsWith(",acme@1,gamma@2");
        assertThat(live.appliedDocuments()).containsOnlyKeys("acme", "gamma");
        assertThat(live.rejection("beta")).isPresent();
        assertThat(reloads).containsExactly(true, false, true);
    }

    @Test
    void aSnapshotWithoutAnAppliedCatalogRemovesIt() {
        live.update("acme", doc("acme", "1", "unavailable"));
        live.update("gamma", doc("gamma", "2", "timeout"));

        live.updateAll(Map.of("gamma", doc("gamma", "2", "timeout")));

        assertThat(live.appliedDocuments()).containsOnlyKeys("gamma");
        assertThat(live.version()).endsWith(",gamma@2").doesNotContain("acme@");
    }

    @Test
    void theSameRejectedDocumentReadAgainIsReportedOnce() {
        CatalogDocument bad = doc("beta", "7", "no-such-class");

        assertThat(live.update("beta", bad)).isEqualTo(LiveCatalogs.Outcome.REJECTED);
        assertThat(live.update("beta", bad)).isEqualTo(LiveCatalogs.Outcome.REJECTED);

        assertThat(reloads).containsExactly(false);
    }

    @Test
    void aJsonDocumentIsReadAsJson() {
        String json = "{\"id\": \"acme\", \"version\": \"1\", \"entries\": [{\"code\": \"ACME_X\", \"title\": \"X\", "
                + "\"category\": \"C\", \"class\": \"internal\"}]}";

        assertThat(live.update("acme", new CatalogDocument("acme", json.getBytes(StandardCharsets.UTF_8), null, null,
                null))).isEqualTo(LiveCatalogs.Outcome.APPLIED);
        assertThat(live.get().catalogs().catalog("acme")).isPresent();
    }

    @Test
    void theBaseIsTheBundledCatalogsPlusTheConfiguredDirectories(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("local.yaml"), new String(doc("local", "3", "internal").content(),
                StandardCharsets.UTF_8));

        LiveCatalogs withDir = LiveCatalogs.create(LiveCatalogs.baseSources(List.of(dir)), EnricherConfig.defaults(),
                "faultline.catalog", LiveCatalogs.ReloadListener.none());

        assertThat(withDir.version()).endsWith(",local@3");
        assertThatThrownBy(() -> LiveCatalogs.baseSources(List.of(dir.resolve("missing"))))
                .isInstanceOf(CatalogValidationException.class).hasMessageContaining("does not exist");
    }

    @Test
    void aDocumentRejectedForAWrongHashHeaderIsAppliedWhenRepublishedWithTheRightOne() {
        byte[] yaml = doc("acme", "1", "unavailable").content();
        CatalogDocument wrongHeader = new CatalogDocument("acme", yaml, "acme.yaml", "ci@build", "00".repeat(32));
        assertThat(live.update("acme", wrongHeader)).isEqualTo(LiveCatalogs.Outcome.REJECTED);
        assertThat(live.update("acme", wrongHeader)).as("a re-read of the same record").isEqualTo(
                LiveCatalogs.Outcome.REJECTED);
        assertThat(reloads).as("reported once").containsExactly(false);

        CatalogDocument fixed = new CatalogDocument("acme", yaml, "acme.yaml", "ci@build", CatalogTopic.sha256(yaml));

        assertThat(live.update("acme", fixed)).isEqualTo(LiveCatalogs.Outcome.APPLIED);
        assertThat(live.version()).endsWith(",acme@1");
        assertThat(live.rejection("acme")).isEmpty();
    }

    private static CatalogDocument doc(String id, String version, String cls) {
        String yaml = "id: " + id + "\nversion: \"" + version + "\"\nentries:\n  - code: "
                + id.toUpperCase() + "_ONE\n    title: One\n    category: C\n    class: " + cls + "\n";
        return new CatalogDocument(id, yaml.getBytes(StandardCharsets.UTF_8), id + ".yaml", null, null);
    }
}
