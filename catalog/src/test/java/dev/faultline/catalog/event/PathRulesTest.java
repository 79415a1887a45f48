package dev.faultline.catalog.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The byte-keyed segment lookup the JSON reader uses must agree with the String one everywhere. */
class PathRulesTest {

    private static final PathRules RULES = new PathRules(ParseConfig.defaults());

    /** Every segment name a default rule uses. */
    private static final List<String> NAMES = names();

    private static List<String> names() {
        Set<String> out = new LinkedHashSet<>();
        Stream.of(PathRules.TIMESTAMP_PATHS, PathRules.SERVICE_PATHS, PathRules.HOST_PATHS, PathRules.LEVEL_PATHS,
                PathRules.MESSAGE_PATHS, PathRules.FIELD_CONTAINERS, PathRules.NESTED_MESSAGE_OBJECTS)
                .flatMap(List::stream)
                .forEach(path -> out.addAll(List.of(path.split("\\."))));
        ParseConfig.defaults().typedFields().forEach(f -> out.addAll(f.segments()));
        return new ArrayList<>(out);
    }

    @Test
    void shouldResolveEveryRuleNameFromItsBytesEvenAtTheVeryEndOfTheRecord() {
        assertThat(NAMES).contains("error", "code", "error_code", "rpc", "@timestamp", "severity_text");
        for (String name : NAMES) {
            PathRules.Segment byName = RULES.segment(name);
            assertThat(byName).as(name).isNotNull();
            byte[] exact = name.getBytes(StandardCharsets.US_ASCII);
            // no slack after the key: the lookup may not read past the array
            assertThat(RULES.segment(exact, 0, exact.length)).as(name).isSameAs(byName);
            byte[] padded = ("{\"" + name + "\":1}").getBytes(StandardCharsets.US_ASCII);
            assertThat(RULES.segment(padded, 2, 2 + exact.length)).as(name).isSameAs(byName);
        }
    }

    @Test
    void shouldResolveANameLongerThanSixteenBytesOnlyByAllOfItsBytes() {
        // past 16 bytes the hash reads only the first and last eight: the middle must still be compared
        String name = "payment_gateway_error_code";
        ParseConfig d = ParseConfig.defaults();
        List<TypedField> typed = new ArrayList<>(d.typedFields());
        typed.add(new TypedField(name, FieldKind.CODE, false));
        PathRules rules = new PathRules(new ParseConfig(typed, d.messageFields(), d.maxRecordBytes(), d.maxDepth(),
                d.maxStringChars(), d.maxFields(), d.maxBatchRecords()));
        byte[] exact = name.getBytes(StandardCharsets.US_ASCII);
        byte[] middle = "payment_gatewax_error_code".getBytes(StandardCharsets.US_ASCII);

        assertThat(rules.segment(exact, 0, exact.length)).isSameAs(rules.segment(name)).isNotNull();
        assertThat(rules.byteSlot(middle, 0, middle.length)).isEqualTo(rules.byteSlot(exact, 0, exact.length));
        assertThat(rules.segment(middle, 0, middle.length)).isNull();
    }

    @Test
    void shouldNotResolveAKeyThatSharesANamesFirstEightBytesLengthAndSlot() {
        // the probe starts where the name's does, so only the comparison of the last bytes can tell them apart
        byte[] name = "@timestamp".getBytes(StandardCharsets.US_ASCII);
        int slot = RULES.byteSlot(name, 0, name.length);
        int found = 0;
        for (char a = '!'; a <= '~'; a++) {
            for (char b = '!'; b <= '~'; b++) {
                byte[] key = ("@timesta" + a + b).getBytes(StandardCharsets.US_ASCII);
                if (RULES.byteSlot(key, 0, key.length) == slot && !java.util.Arrays.equals(key, name)) {
                    found++;
                    assertThat(RULES.segment(key, 0, key.length)).as(new String(key, StandardCharsets.US_ASCII))
                            .isNull();
                }
            }
        }
        assertThat(found).as("keys colliding with @timestamp").isPositive();
    }

    @Property(tries = 3000)
    void shouldAgreeWithTheStringLookupOnAnyAsciiKeyAnywhereInARecord(@ForAll("keys") String key,
            @ForAll @IntRange(max = 9) int before, @ForAll @IntRange(max = 9) int after) {
        byte[] record = new byte[before + key.length() + after];
        java.util.Arrays.fill(record, (byte) '"');
        byte[] k = key.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(k, 0, record, before, k.length);

        assertThat(RULES.segment(record, before, before + k.length)).isSameAs(RULES.segment(key));
    }

    @Provide
    Arbitrary<String> keys() {
        Arbitrary<String> names = Arbitraries.of(NAMES);
        Arbitrary<String> ascii = Arbitraries.strings().ascii().ofMaxLength(40);
        // a rule name with one char changed, or with text before or after it
        Arbitrary<String> nearNames = Combinators.combine(names, Arbitraries.integers().between(0, 39),
                Arbitraries.chars().ascii()).as((n, at, c) -> {
                    if (n.isEmpty()) {
                        return String.valueOf(c);
                    }
                    char[] chars = n.toCharArray();
                    chars[at % chars.length] = c;
                    return new String(chars);
                });
        Arbitrary<String> affix = Arbitraries.strings().ascii().ofMaxLength(3);
        Arbitrary<String> extended = Combinators.combine(names, affix, affix)
                .as((n, pre, post) -> pre + n + post);
        return Arbitraries.oneOf(names, ascii, nearNames, extended);
    }
}
