package dev.faultline.catalog.match;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.catalog.event.FieldValue;
import dev.faultline.catalog.event.LogEvent;
import dev.faultline.catalog.model.CatalogEntry;
import dev.faultline.catalog.testing.TestEvents;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Combinators;

class MatcherPropertiesTest {
    private static final CatalogIndex INDEX = CatalogIndex.of(TestEvents.bundled());
    private static final Matcher MATCHER = new Matcher(INDEX, TestEvents.BINDINGS);

    /** (catalog, token) pairs for every string token that names exactly one entry in its catalog. */
    private static final List<String[]> TOKENS = new ArrayList<>();

    static {
        for (var catalog : TestEvents.bundled().catalogs()) {
            for (CatalogEntry e : catalog.entries().values()) {
                for (String token : e.stringTokens()) {
                    if (INDEX.lookup(token, java.util.Optional.of(catalog.id())).size() == 1) {
                        TOKENS.add(new String[] {catalog.id(), token});
                    }
                }
            }
        }
    }

    @Provide
    Arbitrary<String[]> tokens() {
        return Arbitraries.of(TOKENS);
    }

    @Provide
    Arbitrary<String> prose() {
        return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz     ,;:!?'\"/").ofMaxLength(200);
    }

    @Provide
    Arbitrary<String> separators() {
        return Arbitraries.of(" ", ", ", ": ", " (", ") ", " [", "] ", "\t", " \"", "\" ", "=", " /");
    }

    private static String catalogOf(String[] t) {
        return t[0];
    }

    private static List<String> keys(LogEvent event) {
        return MATCHER.match(event).errors().stream()
                .map(m -> m.ambiguous() ? "?" : m.entry().key()).toList();
    }

    private static String expectedKey(String[] t) {
        return INDEX.lookup(t[1], java.util.Optional.of(t[0])).get(0).key();
    }

    @Property(tries = 2000)
    void aCodeEmbeddedInRandomTextAtTokenBoundariesIsFound(@ForAll("tokens") String[] token,
            @ForAll("prose") String before, @ForAll("prose") String after,
            @ForAll("separators") String left, @ForAll("separators") String right) {
        String context = INDEX.needsContext(token[1]) ? "code=" : "";
        String text = before + left + context + token[1] + right + after;
        assertThat(keys(TestEvents.text("svc-" + catalogOf(token), text))).contains(expectedKey(token));
    }

    @Property(tries = 2000)
    void randomProseYieldsNothing(@ForAll("prose") String text) {
        assertThat(MATCHER.match(TestEvents.text("svc-nefia", text)).errors()).isEmpty();
    }

    @Provide
    Arbitrary<String> nearMisses() {
        Arbitrary<String[]> token = tokens();
        Arbitrary<String> prefix = Arbitraries.of("", "x", "0x", "X_", "ORD-", "a.", "9");
        Arbitrary<String> suffix = Arbitraries.of("", "F", "0", "_TOTAL", "-77", ".x", "_handler", "é");
        return Combinators.combine(token, prefix, suffix)
                .filter((t, p, s) -> !(p.isEmpty() && s.isEmpty()))
                .as((t, p, s) -> t[1] + "\u0000" + p + t[1] + s);
    }

    @Property(tries = 2000)
    void nearMissesAtBrokenBoundariesYieldNoMatchForTheirToken(@ForAll("nearMisses") String spec) {
        String token = spec.substring(0, spec.indexOf('\u0000'));
        String nearMiss = spec.substring(spec.indexOf('\u0000') + 1);
        List<String> found = MATCHER.match(TestEvents.text("checkout", "saw " + nearMiss + " today")).errors().stream()
                .map(ErrorMatch::matched).toList();
        assertThat(found).doesNotContain(token);
    }

    @Property(tries = 1000)
    void typedAndFallbackStagesAgreeOnTheSameCode(@ForAll("tokens") String[] token) {
        String service = "svc-" + catalogOf(token);
        List<String> typed = keys(TestEvents.typedCode(service, token[1]));
        List<String> fallback = keys(TestEvents.text(service, "failed: code=" + token[1]));
        assertThat(typed).containsExactly(expectedKey(token));
        assertThat(fallback).isEqualTo(typed);
    }

    @Property(tries = 500)
    void aCodeFoundByBothStagesIsReportedOnce(@ForAll("tokens") String[] token) {
        String service = "svc-" + catalogOf(token);
        LogEvent both = TestEvents.event(service,
                List.of(new FieldValue("error_code", token[1], false, TestEvents.CODE_FIELD)),
                List.of(FieldValue.text("message", "failed: code=" + token[1] + " and again " + token[1])));
        List<ErrorMatch> errors = MATCHER.match(both).errors();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).stage()).isEqualTo(MatchStage.TYPED);
    }
}
