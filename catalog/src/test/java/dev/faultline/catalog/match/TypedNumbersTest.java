package dev.faultline.catalog.match;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.catalog.event.EventParser;
import dev.faultline.catalog.event.ParseConfig;
import dev.faultline.catalog.event.ParseResult;
import dev.faultline.catalog.testing.TestEvents;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Numbers in typed fields, from the record's bytes: in an RPC field an integral number is an RPC code, elsewhere none. */
class TypedNumbersTest {
    private static final EventParser PARSER = new EventParser(ParseConfig.defaults());
    private static final Matcher MATCHER = new Matcher(CatalogIndex.of(TestEvents.bundled()), TestEvents.BINDINGS);

    private static MatchResult match(String record) {
        ParseResult r = PARSER.parse(record.getBytes(StandardCharsets.UTF_8));
        return MATCHER.match(((ParseResult.Events) r).events().get(0));
    }

    private static List<String> codes(MatchResult m) {
        return m.errors().stream()
                .map(e -> e.ambiguous() ? "?" + e.matched() : e.entry().catalog() + ":" + e.entry().code()).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-32003", "-32003.0", "-3.2003e4", "\" -32003\"", "\"-32003.0 \""})
    void shouldMatchAnIntegralRpcNumberHoweverItIsWritten(String value) {
        MatchResult m = match("{\"service\":\"svc-nefia\",\"error\":{\"code\":" + value + "}}");

        assertThat(codes(m)).containsExactly("nefia:SSH_AUTH_FAILED");
        assertThat(m.unknownCodes()).isEmpty();
    }

    @Test
    void shouldIgnoreANumberInACodeFieldThatIsNotForRpcCodesWhateverItsForm() {
        MatchResult m = match("{\"service\":\"svc-nefia\",\"code\":404.0,\"error_code\":1.5,\"errorCode\":\" 7 \"}");

        assertThat(m.isEmpty()).isTrue();
    }

    @Test
    void shouldNotTakeAFractionalNumberInAnRpcFieldForACode() {
        assertThat(match("{\"service\":\"svc-nefia\",\"error\":{\"code\":-32003.5}}").isEmpty()).isTrue();
    }
}
