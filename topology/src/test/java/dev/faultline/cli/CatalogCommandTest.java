package dev.faultline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code faultline catalog publish} paths that end before a broker is contacted. */
class CatalogCommandTest {
    private static final String ACME = """
            id: acme
            version: "1"
            entries:
              - code: ACME_WIDGET_JAMMED
                title: Widget jammed
                category: Widgets
                class: unavailable
            """;

    @Test
    void publishDryRunRejectsAnInvalidDirectoryWithExit2AndPrintsEveryProblem(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("acme.yaml"), """
                id: acme
                version: "2"
                entries:
                  - code: ACME_A
                    category: Widgets
                    class: bogus
                """);
        Files.writeString(dir.resolve("broken.json"), "{\"id\": \"broken\", ");
        Files.writeString(dir.resolve("noversion.yml"), """
                id: noversion
                entries:
                  - {code: NV_1, title: T, category: C, class: internal}
                """);
        Files.writeString(dir.resolve("zz-acme-again.yaml"), ACME);
        Files.writeString(dir.resolve("README.md"), "not a catalog");

        CliRun run = CliRun.of("catalog", "publish", dir.toString(), "--dry-run");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("not published", "5 problem(s)")
                .contains("acme.yaml: entry ACME_A: title: required")
                .contains("acme.yaml: entry ACME_A: class: unknown class 'bogus'")
                .contains("broken.json: not valid JSON")
                .contains("noversion.yml: version: required")
                .contains("zz-acme-again.yaml: id: catalog id 'acme' is also declared by acme.yaml");
        assertThat(run.out()).doesNotContain("published");
    }

    @Test
    void publishDryRunValidatesAValidDirectoryAndPublishesNothing(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("acme.yaml"), ACME);
        Files.writeString(dir.resolve("nefia-local.json"), """
                {"id": "nefia", "version": "local-1", "entries": [
                  {"code": "NEFIA_LOCAL", "title": "Local", "category": "Local", "class": "internal"}]}
                """);

        CliRun run = CliRun.of("catalog", "publish", dir.toString(), "--dry-run",
                "--bootstrap-servers", "localhost:1");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("acme@1", "<- acme.yaml", "nefia@local-1", "<- nefia-local.json",
                "2 catalog(s) valid; nothing published (--dry-run)");
    }

    @Test
    void publishRefusesADirectoryWithoutCatalogFiles(@TempDir Path dir) {
        CliRun run = CliRun.of("catalog", "publish", dir.toString(), "--dry-run");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("no catalog files");
    }

    @Test
    void publishRefusesAMissingDirectory(@TempDir Path dir) {
        CliRun run = CliRun.of("catalog", "publish", dir.resolve("nope").toString(), "--dry-run");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("not a directory");
    }

    @Test
    void catalogIsListedAmongTheSubcommands() {
        CliRun run = CliRun.of("--help");

        assertThat(run.out()).contains("catalog");
    }
}
