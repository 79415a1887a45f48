package dev.faultline.catalog.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An independent reading of the seeds: pulls every code out of the five reference documents with
 * patterns of their own table layouts and checks that the golden table (and so the catalogs) has
 * each. A code added to a seed but forgotten in a catalog fails here.
 */
class SeedCoverageTest {
    private static final GoldenTable GOLDEN = GoldenTable.load();

    private static String seed(String prefix) throws IOException {
        for (String name : new String[] {"000_41ddb08c8ca34dfc.txt", "001_0b01328952e9bbfe.txt",
                "002_4df1285feaecdb23.txt", "003_706142f30330f53f.txt", "004_5db85dd62b833e77.txt"}) {
            if (name.startsWith(prefix)) {
                try (InputStream in = SeedCoverageTest.class.getResourceAsStream("/seeds/" + name)) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        throw new IllegalArgumentException(prefix);
    }

    private static Set<String> extract(String text, String regex, int group) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        while (m.find()) {
            out.add(m.group(group));
        }
        return out;
    }

    private static Set<String> goldenTokens(String catalog) {
        return GOLDEN.rows().stream().filter(r -> r.catalog().equals(catalog)).map(GoldenTable.Row::token)
                .collect(Collectors.toSet());
    }

    @ParameterizedTest(name = "{0}: {2}")
    @CsvSource(delimiter = ';', value = {
            "000;nefia;E\\d{4};0;43",
            "000;nefia;^([A-Z][A-Z0-9_]+) \\| (?:E\\d{4}|—) \\|;1;50",
            "000;nefia;^(-32\\d{3}) \\| ([A-Z_]+) \\|;1;40",
            "000;nefia;^(-32\\d{3}) \\| ([A-Z_]+) \\|;2;40",
            "000;nefia;^([A-Z_]+) \\| nefia\\.;1;35",
            "001;agent-tasks;^([a-z_]+(?:\\.[a-z_]+)?) \\| \\w+ \\| \\d{3} \\| -32\\d{3} \\|;1;20",
            "001;agent-tasks;^[a-z_.]+ \\| \\w+ \\| \\d{3} \\| (-32\\d{3}) \\|;1;5",
            "002;foundry-mcp;^\\| `([A-Z_]+)` \\| [a-z_]+ \\|;1;40",
            "003;vault-rpc;^\\| (-32\\d{3}) \\| (\\w+) \\|;1;15",
            "003;vault-rpc;^\\| (-32\\d{3}) \\| (\\w+) \\|;2;15",
            "004;nps;^(N[A-Z]{2}-[A-Z0-9-]+) NPS-;1;80",
    })
    void shouldHaveEverySeedCodeInTheGoldenTable(String seed, String catalog, String regex, int group, int atLeast)
            throws IOException {
        Set<String> found = extract(seed(seed), regex, group);
        assertThat(found).as("the pattern still reads the seed").hasSizeGreaterThanOrEqualTo(atLeast);
        assertThat(goldenTokens(catalog)).containsAll(found);
    }
}
