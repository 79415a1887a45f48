package dev.faultline.catalog.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.catalog.model.Catalog;
import dev.faultline.catalog.model.CatalogEntry;
import dev.faultline.catalog.model.CatalogSet;
import dev.faultline.catalog.model.ErrorClass;
import dev.faultline.catalog.model.Transience;
import dev.faultline.catalog.model.TransienceRule;
import dev.faultline.catalog.model.TransienceSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogLoaderTest {
    private final CatalogLoader loader = new CatalogLoader();

    private LoadResult loadYaml(String name, String yaml) {
        return loader.loadSources(List.of(new CatalogSource(name, yaml.getBytes(StandardCharsets.UTF_8), false)));
    }

    @Test
    void shouldLoadEveryBundledCatalogWithoutProblems() {
        LoadResult result = loader.loadBundled();
        assertThat(result.problems()).isEmpty();
        CatalogSet set = result.orThrow();
        assertThat(set.catalogs()).extracting(c -> c.id()).containsExactlyElementsOf(CatalogLoader.BUNDLED_IDS);
        set.catalogs().forEach(c -> assertThat(c.entries()).as(c.id()).isNotEmpty());
    }

    @Test
    void shouldReportEveryProblemAtOnceWithFileEntryAndField() {
        LoadResult result = loadYaml("bad.yaml", """
                id: demo
                version: "1"
                entries:
                  - code: A_FAILED
                    title: A failed
                    category: x
                    class: not-a-class
                  - code: B_FAILED
                    title: B failed
                    category: x
                    class: internal
                    transience: {value: sometimes, source: stated, basis: "said so"}
                  - code: C_FAILED
                    category: x
                    class: internal
                    remedation: ["typo'd field"]
                  - code: A_FAILED
                    title: again
                    category: x
                    class: internal
                  - code: D_FAILED
                    title: D
                    category: x
                    class: internal
                    e_code: E1000
                  - code: F_FAILED
                    title: F
                    category: x
                    class: internal
                    e_code: E1000
                resolutions:
                  - token: "-1"
                    claimants: [NOPE]
                    owner: NOPE
                    reason: refers to a missing code
                """);
        assertThat(result.isValid()).isFalse();
        assertThat(result.catalogs()).isEmpty();
        assertThat(result.problems()).extracting(Problem::toString).anySatisfy(p ->
                assertThat(p).isEqualTo("bad.yaml: entry A_FAILED: class: unknown class 'not-a-class'; one of "
                        + "validation, authentication, authorization, not_found, conflict, precondition, rate_limit, "
                        + "quota, timeout, unavailable, cancelled, unsupported, protocol, dependency, internal"));
        assertThat(result.problems()).extracting(Problem::toString).contains(
                "bad.yaml: entry B_FAILED: transience.value: unknown transience 'sometimes'; one of transient, permanent, conditional",
                "bad.yaml: entry C_FAILED: remedation: unknown field",
                "bad.yaml: entry C_FAILED: title: required",
                "bad.yaml: entry A_FAILED: code: duplicate code (also A_FAILED)",
                "bad.yaml: entry D_FAILED, F_FAILED: resolutions: token E1000 is carried by several entries and has no resolution",
                "bad.yaml: entry resolutions[0]: claimants: names missing code NOPE",
                "bad.yaml: entry resolutions[0]: owner: names missing code NOPE");
    }

    @Test
    void shouldReportInvalidYamlWithItsLine() {
        LoadResult result = loadYaml("broken.yaml", "id: demo\nversion: \"1\"\nentries:\n  - code: [unclosed\n");
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("broken.yaml");
            assertThat(p.message()).startsWith("not valid YAML").contains("line");
        });
    }

    @Test
    void shouldReportAKeyGivenTwiceInsteadOfKeepingTheLastOne() {
        String entry = "    title: T\n    category: C\n    class: internal\n";
        // A second "entries:" would silently drop the first list; a second "class:" would silently win.
        LoadResult lists = loadYaml("twice.yaml", "id: acme\nversion: '1'\nentries:\n  - code: ACME_ONE\n" + entry
                + "entries:\n  - code: ACME_TWO\n" + entry);
        LoadResult fields = loadYaml("twice.yaml", "id: acme\nversion: '1'\nentries:\n  - code: ACME_ONE\n" + entry
                + "    class: timeout\n");

        for (LoadResult r : List.of(lists, fields)) {
            assertThat(r.catalogs()).isEmpty();
            assertThat(r.problems()).singleElement().satisfies(p -> {
                assertThat(p.file()).isEqualTo("twice.yaml");
                assertThat(p.message()).contains("Duplicate field");
            });
        }
    }

    @Test
    void shouldRejectAResolutionWhoseClaimantsDifferFromTheTokensCarriers() {
        LoadResult result = loadYaml("r.yaml", """
                id: demo
                version: "1"
                entries:
                  - {code: A_FAILED, title: A, category: x, class: internal, rpc_code: -1}
                  - {code: B_FAILED, title: B, category: x, class: internal, rpc_code: -1}
                  - {code: C_FAILED, title: C, category: x, class: internal, rpc_code: -1}
                resolutions:
                  - {token: "-1", claimants: [A_FAILED, B_FAILED], owner: A_FAILED, reason: incomplete}
                """);
        assertThat(result.problems()).extracting(Problem::message)
                .containsExactly("token -1 is carried by [A_FAILED, B_FAILED, C_FAILED], claimants say [A_FAILED, B_FAILED]");
    }

    @Test
    void shouldRejectAResolutionForATokenThatIsNotShared() {
        LoadResult result = loadYaml("r.yaml", """
                id: demo
                version: "1"
                entries:
                  - {code: A_FAILED, title: A, category: x, class: internal, e_code: E1}
                resolutions:
                  - {token: E1, claimants: [A_FAILED], owner: A_FAILED, reason: stale}
                """);
        assertThat(result.problems()).extracting(Problem::message)
                .containsExactly("token E1 is not shared (carried by [A_FAILED]); remove the resolution");
    }

    @Test
    void shouldRejectCodesTheScannerCouldNeverFind() {
        LoadResult result = loadYaml("t.yaml", """
                id: demo
                version: "1"
                entries:
                  - {code: "has space", title: A, category: x, class: internal}
                  - {code: "trailing-", title: B, category: x, class: internal}
                """);
        assertThat(result.problems()).extracting(Problem::field).containsExactly("code", "code");
    }

    @Test
    void shouldRejectCodesYamlReadsAsBooleans() {
        LoadResult result = loadYaml("n.yaml", """
                id: demo
                version: "1"
                entries:
                  - {code: NO, title: Norway, category: x, class: internal}
                  - {code: "ON", title: On, category: x, class: internal, aliases: [OFF]}
                """);
        assertThat(result.problems()).extracting(Problem::toString).containsExactly(
                "n.yaml: entry false: code: is a boolean (false); quote the code, e.g. \"NO\"",
                "n.yaml: entry ON: aliases: holds a boolean (false); quote the alias, e.g. \"NO\"");
    }

    @Test
    void shouldDeriveTransienceFromClassAndRecordTheRule() {
        LoadResult result = loadYaml("d.yaml", """
                id: demo
                version: "1"
                entries:
                  - {code: SLOW_DOWN, title: Slow down, category: x, class: rate_limit}
                  - code: STATED
                    title: Stated
                    category: x
                    class: rate_limit
                    transience: {value: permanent, source: resolved, basis: "the seed says the limit never resets"}
                """);
        CatalogEntry derived = result.orThrow().catalog("demo").orElseThrow().entry("SLOW_DOWN").orElseThrow();
        assertThat(derived.transience()).isEqualTo(Transience.TRANSIENT);
        assertThat(derived.transienceBasis().source()).isEqualTo(TransienceSource.DERIVED);
        assertThat(derived.transienceBasis().rule()).isEqualTo("rate-limit-is-transient");
        CatalogEntry stated = result.orThrow().catalog("demo").orElseThrow().entry("STATED").orElseThrow();
        assertThat(stated.transience()).isEqualTo(Transience.PERMANENT);
        assertThat(stated.transienceBasis().source()).isEqualTo(TransienceSource.RESOLVED);
    }

    @Test
    void shouldCoverEveryClassWithExactlyOneTransienceRule() {
        for (ErrorClass c : ErrorClass.values()) {
            assertThat(Arrays.stream(TransienceRule.values()).filter(r -> r.covers(c))).as(c.wire()).hasSize(1);
        }
    }

    @Test
    void shouldLetAUserEntryOverrideTheBundledEntryWithTheSameCode(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("nefia-local.yaml"), """
                id: nefia
                version: "site-7"
                entries:
                  - code: SSH_AUTH_FAILED
                    title: SSH auth failed (site runbook)
                    category: SSH
                    class: authentication
                    e_code: E2001
                    rpc_code: -32003
                    remediation: ["Page the platform team: runbook RB-12."]
                  - {code: SITE_QUOTA, title: Site quota, category: Site, class: quota}
                """);
        CatalogSet set = loader.load(List.of(dir)).orThrow();
        var nefia = set.catalog("nefia").orElseThrow();
        assertThat(nefia.version()).endsWith("+site-7");
        assertThat(nefia.entry("SSH_AUTH_FAILED").orElseThrow().remediation())
                .containsExactly("Page the platform team: runbook RB-12.");
        assertThat(nefia.entry("SITE_QUOTA")).isPresent();
        assertThat(nefia.entry("SSH_CONNECT_FAILED")).as("other bundled entries stay").isPresent();
    }

    @Test
    void shouldNeverReturnCatalogsWhenAUserFileFailsValidation(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("bad.yaml"), "id: nefia\nentries:\n  - {code: X_FAILED, title: X, category: x, class: nope}\n");
        LoadResult result = loader.load(List.of(dir));
        assertThat(result.catalogs()).isEmpty();
        assertThat(result.problems()).extracting(Problem::file).allMatch(f -> f.endsWith("bad.yaml"));
    }

    @Test
    void shouldLetAUserEntryOverrideAnEntryThatABundledResolutionNames(@TempDir Path dir) throws IOException {
        // SESSION_NOT_FOUND shares E9001 with INTERNAL in the bundled file; the user's version carries no E9001.
        Files.writeString(dir.resolve("n.yaml"), "id: nefia\nentries:\n  - code: SESSION_NOT_FOUND\n"
                + "    title: Our session is gone\n    category: Session\n    class: not_found\n");

        LoadResult result = loader.load(List.of(dir));

        assertThat(result.problems()).isEmpty();
        Catalog nefia = result.orThrow().catalog("nefia").orElseThrow();
        assertThat(nefia.entry("SESSION_NOT_FOUND").orElseThrow().title()).isEqualTo("Our session is gone");
        assertThat(nefia.version()).as("an override without a version still shows").endsWith("+unversioned");
        assertThat(nefia.resolutions()).noneMatch(r -> r.token().equals("E9001"));
    }

    @Test
    void shouldReportACodeThatTwoUserFilesBothDefine(@TempDir Path dir) throws IOException {
        String entry = "    title: T\n    category: C\n    class: internal\n";
        Files.writeString(dir.resolve("a.yaml"), "id: acme\nversion: '1'\nentries:\n  - code: ACME_ONE\n" + entry);
        Files.writeString(dir.resolve("b.yaml"), "id: acme\nversion: '2'\nentries:\n  - code: ACME_ONE\n" + entry);
        Files.writeString(dir.resolve("n.yaml"), "id: nefia\nentries:\n  - code: SITE_QUOTA\n" + entry);

        LoadResult result = loader.load(List.of(dir));

        assertThat(result.catalogs()).isEmpty();
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).endsWith("b.yaml");
            assertThat(p.entry()).isEqualTo("ACME_ONE");
            assertThat(p.message()).contains("also defined in").contains("a.yaml");
        });
    }

    @Test
    void shouldGiveAnUnregisteredNefiaECodeTheCategoryOfItsMostSpecificPrefix() {
        Catalog nefia = loader.loadBundled().orThrow().catalog("nefia").orElseThrow();
        assertThat(nefia.family("E2999").orElseThrow().category()).isEqualTo("SSH");
        assertThat(nefia.family("E8150").orElseThrow().category()).isEqualTo("Security / Device / Posture");
        assertThat(nefia.family("E8250").orElseThrow().category()).isEqualTo("Secrets / Cluster");
        assertThat(nefia.family("E8350").orElseThrow().category()).isEqualTo("Team");
        assertThat(nefia.family("E29999")).as("one digit too many").isEmpty();
        assertThat(nefia.family("E2x99")).isEmpty();
        assertThat(nefia.family("X2999")).isEmpty();
    }

    @Test
    void shouldReportEveryBadCodeFamily() {
        LoadResult result = loadYaml("fam.yaml", """
                id: acme
                version: "1"
                code_families:
                  - {pattern: "E2", category: "no placeholder"}
                  - {pattern: "xxx", category: "no literal prefix"}
                  - {pattern: "A B xx", category: "a space"}
                  - {pattern: "ACMExx", category: "first"}
                  - {pattern: "ACMExx", category: "again"}
                  - {pattern: "ACMEx", colour: "blue"}
                  - "E1xxx"
                entries:
                  - {code: ACME_ONE, title: T, category: C, class: internal}
                """);
        assertThat(result.catalogs()).isEmpty();
        assertThat(result.problems()).extracting(Problem::toString).containsExactlyInAnyOrder(
                "fam.yaml: entry code_families[0]: pattern: 'E2' is not a code family: literal characters, then one x "
                        + "per digit (E2xxx), at most 32 characters",
                "fam.yaml: entry code_families[1]: pattern: 'xxx' is not a code family: literal characters, then one "
                        + "x per digit (E2xxx), at most 32 characters",
                "fam.yaml: entry code_families[2]: pattern: 'A B xx' is not a code family: literal characters, then "
                        + "one x per digit (E2xxx), at most 32 characters",
                "fam.yaml: entry code_families[4]: pattern: duplicate code family ACMExx",
                "fam.yaml: entry code_families[5]: colour: unknown field",
                "fam.yaml: entry code_families[5]: category: required",
                "fam.yaml: entry code_families[6]: a code family is a mapping with pattern and category");
    }

    @Test
    void shouldLetAUserFileReplaceABundledCodeFamilyAndAddOthers(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("n.yaml"), """
                id: nefia
                code_families:
                  - {pattern: "E2xxx", category: "SSH (site)"}
                  - {pattern: "E83xx", category: "Sudo"}
                entries: []
                """);
        Catalog nefia = loader.load(List.of(dir)).orThrow().catalog("nefia").orElseThrow();
        assertThat(nefia.family("E2999").orElseThrow().category()).isEqualTo("SSH (site)");
        assertThat(nefia.family("E8399").orElseThrow().category()).isEqualTo("Sudo");
        assertThat(nefia.family("E1999").orElseThrow().category()).isEqualTo("VPN");
    }

    @Test
    void shouldReportACodeFamilyThatTwoUserFilesBothDefineAndLetTheBindingDecideBetweenCatalogs(@TempDir Path dir)
            throws IOException {
        Files.writeString(dir.resolve("a.yaml"), "id: acme\nversion: '1'\ncode_families: [{pattern: E2xxx, "
                + "category: Acme SSH}]\nentries: []\n");
        CatalogSet set = loader.load(List.of(dir)).orThrow();
        dev.faultline.catalog.match.CatalogIndex index = dev.faultline.catalog.match.CatalogIndex.of(set);
        assertThat(index.unknown("f", "E2999", null).category()).as("nefia and acme tie").isNull();
        assertThat(index.unknown("f", "E2999", List.of("acme")).category()).isEqualTo("Acme SSH");
        assertThat(index.unknown("f", "E2999", List.of("nefia")).category()).isEqualTo("SSH");
        assertThat(index.unknown("f", "E8150", List.of("acme")).category()).as("only nefia's fits")
                .isEqualTo("Security / Device / Posture");

        Files.writeString(dir.resolve("b.yaml"), "id: acme\ncode_families: [{pattern: E2xxx, category: Other}]\n"
                + "entries: []\n");
        LoadResult twice = loader.load(List.of(dir));
        assertThat(twice.catalogs()).isEmpty();
        assertThat(twice.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).endsWith("b.yaml");
            assertThat(p.message()).contains("also defined in").contains("a.yaml");
        });
    }

    @Test
    void shouldReportAMissingCatalogDirectory(@TempDir Path dir) {
        LoadResult result = loader.load(List.of(dir.resolve("absent")));
        assertThat(result.problems()).extracting(Problem::message).containsExactly("catalog directory does not exist");
    }
}
