package dev.faultline.catalog.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.catalog.match.CatalogIndex;
import dev.faultline.catalog.model.CatalogEntry;
import dev.faultline.catalog.model.ErrorClass;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class LoaderPropertiesTest {
    private final CatalogLoader loader = new CatalogLoader();

    @Provide
    Arbitrary<String> codes() {
        Arbitrary<String> word = Arbitraries.strings().withCharRange('A', 'Z').ofMinLength(2).ofMaxLength(8);
        return word.list().ofMinSize(1).ofMaxSize(4).map(parts -> String.join("_", parts));
    }

    @Provide
    Arbitrary<ErrorClass> classes() {
        return Arbitraries.of(ErrorClass.class);
    }

    /** Any set of well-formed entries loads, and every code resolves to its own entry and nothing else. */
    @Property(tries = 200)
    void wellFormedEntriesLoadAndEveryCodeResolvesToItself(
            @ForAll @Size(min = 1, max = 30) Set<@net.jqwik.api.From("codes") String> codes,
            @ForAll("classes") ErrorClass cls) {
        String yaml = "id: prop\nversion: \"1\"\nentries:\n" + codes.stream()
                .map(c -> "  - {code: \"" + c + "\", title: \"t " + c + "\", category: c, class: " + cls.wire() + "}\n")
                .collect(Collectors.joining());
        LoadResult result = loader.loadSources(List.of(new CatalogSource("p.yaml", yaml.getBytes(StandardCharsets.UTF_8), false)));
        assertThat(result.problems()).isEmpty();
        CatalogIndex index = CatalogIndex.of(result.orThrow());
        for (String code : codes) {
            assertThat(index.lookup(code, Optional.of("prop"))).extracting(CatalogEntry::code).containsExactly(code);
        }
    }

    /** Arbitrary bytes as a catalog never throw: they load or they are reported. */
    @Property(tries = 500)
    void arbitraryDocumentsNeverThrow(@ForAll byte[] content, @ForAll boolean json) {
        LoadResult result = loader.loadSources(List.of(new CatalogSource(json ? "x.json" : "x.yaml", content, false)));
        assertThat(result.isValid() || !result.problems().isEmpty()).isTrue();
    }

    /** Mangling any one line of a real catalog either still loads or is reported, never thrown. */
    @Property(tries = 300)
    void manglingOneLineOfARealCatalogIsReportedNotThrown(@ForAll("lineIndex") int line, @ForAll("mangles") String mangle) {
        String nefia = new String(CatalogLoader.bundledSources().get(0).content(), StandardCharsets.UTF_8);
        String[] lines = nefia.split("\n", -1);
        int i = Math.floorMod(line, lines.length);
        lines[i] = mangle.replace("$", lines[i]);
        LoadResult result = loader.loadSources(List.of(new CatalogSource("nefia.yaml",
                String.join("\n", lines).getBytes(StandardCharsets.UTF_8), false)));
        if (!result.isValid()) {
            assertThat(result.problems()).allSatisfy(p -> assertThat(p.file()).isEqualTo("nefia.yaml"));
        }
    }

    @Provide
    Arbitrary<Integer> lineIndex() {
        return Arbitraries.integers().between(0, 5000);
    }

    @Provide
    Arbitrary<String> mangles() {
        return Arbitraries.of("", "$ $", "  $", "$:", "- $", "$\n  class: bogus", "$\n    e_code: E1001", "{$", "$ #");
    }
}
