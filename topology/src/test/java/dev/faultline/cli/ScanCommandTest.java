package dev.faultline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> jsonl(String out) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                nodes.add(JSON.readTree(line));
            }
        }
        return nodes;
    }

    @Test
    void shouldWriteOneEnrichedLinePerEventWithFindings(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("app.log");
        Files.writeString(log, String.join("\n",
                "{\"time\":\"2026-11-21T10:00:00Z\",\"service\":\"nefia-agent\",\"level\":\"error\",\"msg\":\"exec failed\",\"err_code\":\"E2001\"}",
                "2026-11-21T10:00:01Z INFO all good",
                "ts=2026-11-21T10:00:02Z level=error msg=\"tunnel\" err_code=VPN_NOT_READY",
                "2026-11-21T10:00:03Z ERROR lookup failed: NCP-ANCHOR-NOT-FOUND and auth.invalid_token",
                "{\"level\":\"error\",\"err\":{\"code\":\"ECONNRESET\"},\"msg\":\"socket\"}") + "\n");
        CliRun run = CliRun.of("scan", log.toString());
        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        List<JsonNode> events = jsonl(run.out());
        assertThat(events).hasSize(4);
        assertThat(events.get(0).at("/errors/0/code").asText()).isEqualTo("SSH_AUTH_FAILED");
        assertThat(events.get(0).at("/source/file").asText()).isEqualTo(log.toString());
        assertThat(events.get(0).at("/source/line").asLong()).isEqualTo(1);
        assertThat(events.get(1).at("/errors/0/transience").asText()).isEqualTo("transient");
        assertThat(events.get(2).get("errors")).extracting(e -> e.get("code").asText())
                .containsExactly("NCP-ANCHOR-NOT-FOUND", "auth.invalid_token");
        assertThat(events.get(3).at("/unknown_codes/0/value").asText()).isEqualTo("ECONNRESET");
    }

    @Test
    void shouldDiagnoseBadInputByFileAndLineAndGoOn(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("bad.log");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write("E2001 first\n".getBytes(StandardCharsets.UTF_8));
        bytes.write(new byte[] {'b', 'a', 'd', ' ', (byte) 0xC3, (byte) 0x28, '\n'}); // invalid UTF-8
        bytes.write("{\"msg\":\"truncated\",\"err_code\":\"E20\n".getBytes(StandardCharsets.UTF_8));
        bytes.write("x".repeat(10 * 1024 * 1024).getBytes(StandardCharsets.UTF_8));
        bytes.write('\n');
        bytes.write(("[".repeat(10_000) + "\n").getBytes(StandardCharsets.UTF_8));
        bytes.write(("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000) + "\n").getBytes(StandardCharsets.UTF_8));
        bytes.write("E2002 last\n".getBytes(StandardCharsets.UTF_8));
        Files.write(log, bytes.toByteArray());

        CliRun run = CliRun.of("scan", log.toString());
        assertThat(run.exit()).isZero();
        String[] diagnostics = run.err().split("\n");
        assertThat(diagnostics).hasSize(4);
        assertThat(diagnostics[0]).startsWith(log + ":2: unreadable (invalid-utf8)");
        assertThat(diagnostics[1]).startsWith(log + ":3: unreadable (malformed-json)");
        assertThat(diagnostics[2]).startsWith(log + ":4: unreadable (too-large)");
        assertThat(diagnostics[3]).startsWith(log + ":6: unreadable (too-deep)");
        assertThat(jsonl(run.out())).extracting(e -> e.at("/errors/0/code").asText())
                .containsExactly("SSH_AUTH_FAILED", "SSH_CONNECT_FAILED");
        assertThat(CliRun.of("scan", "--strict", log.toString()).exit()).isEqualTo(1);
    }

    @Test
    void shouldReadStdinAndScopeCodesByTheGivenService() throws IOException {
        byte[] input = "2026-11-21T10:00:00Z ERROR fs.write failed code=-32013\n".getBytes(StandardCharsets.UTF_8);
        CliRun run = CliRun.withStdin(new java.io.ByteArrayInputStream(input), "scan", "--service", "vaultd", "-");
        List<JsonNode> events = jsonl(run.out());
        assertThat(events).hasSize(1);
        assertThat(events.get(0).at("/errors/0/ambiguous").asBoolean()).isTrue();
        assertThat(events.get(0).at("/errors/0/candidates")).hasSizeGreaterThan(1);
    }

    @Test
    void shouldPrintACoverageTableWithUnmatchedErrorLines(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("app.log");
        Files.writeString(log, String.join("\n",
                "{\"level\":\"error\",\"msg\":\"rpc\",\"error\":{\"code\":-32601}}",
                "{\"service\":\"foundry\",\"data\":{\"error_code\":\"RATE_LIMIT_EXCEEDED\"}}",
                "2026-11-21T10:00:00Z ERROR disk full on /dev/sda1",
                "2026-11-21T10:00:01Z ERROR disk full on /dev/sda2",
                "{\"level\":\"error\",\"error_code\":\"E_NOT_IN_ANY_CATALOG\"}",
                "{\"level\":\"error\",\"error_code\":\"E2999\"}") + "\n");
        CliRun run = CliRun.of("scan", "--summary", log.toString());
        assertThat(run.exit()).isZero();
        assertThat(run.out()).containsPattern("foundry-mcp\\s+1\\s+1\\s+0")
                .containsPattern("\\(ambiguous\\)\\s+1")
                .contains("error_code=E_NOT_IN_ANY_CATALOG\n")
                .contains("error_code=E2999 (nefia SSH by its form)")
                .containsPattern("2\\s+.*disk full on /dev/sda#");
    }

    @Test
    void shouldNameAnInputItCannotReadScanTheOthersAndExit2(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("a.log");
        Files.writeString(log, "{\"service\":\"nefia-agent\",\"level\":\"error\",\"err_code\":\"E2001\"}\n");
        Path missing = dir.resolve("nope.log");

        CliRun run = CliRun.of("scan", dir.toString(), missing.toString(), log.toString());

        assertThat(jsonl(run.out())).singleElement().satisfies(e -> assertThat(e.at("/errors/0/code").asText())
                .isEqualTo("SSH_AUTH_FAILED"));
        assertThat(run.err()).contains(dir + ": is a directory").contains(missing + ": cannot read file");
        assertThat(run.exit()).isEqualTo(2);
    }

    @Test
    void shouldRefuseAServiceBindingToACatalogThatIsNotLoaded(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("faultline.yaml");
        Files.writeString(config, "services: [{glob: 'vaultd', catalogs: [vault-rcp]}]\n"); // vault-rpc, mistyped
        Path log = dir.resolve("a.log");
        Files.writeString(log, "{\"service\":\"vaultd\",\"error\":{\"code\":-32601}}\n");

        CliRun run = CliRun.of("scan", "--config", config.toString(), log.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("services[0]: no catalog 'vault-rcp' is loaded");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void shouldEscapeControlCharactersInDiagnostics(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("evil\u001b[31m.log");
        Files.write(log, new byte[] {(byte) 0xFF, '\n'});
        CliRun run = CliRun.of("scan", log.toString());
        assertThat(run.err()).doesNotContain("\u001b").contains("\\u001b[31m");
    }

    private static String unmatchedSection(String summary) {
        int at = summary.indexOf("most frequent error-level lines that matched nothing:");
        assertThat(at).as("summary:%n%s", summary).isGreaterThanOrEqualTo(0);
        return summary.substring(at);
    }

    /**
     * "--summary prints ... the most frequent error-level lines that matched nothing". An OTLP log record that
     * gives its severity only as severityNumber 17 (ERROR; 17-24 are ERROR..FATAL4 in the OTel data model) is an
     * error-level line, but the summary's level test knows only words and pino's 50/60.
     */
    @Test
    void shouldCountOtlpRecordsWithOnlyAnErrorSeverityNumberAsErrorLevelLinesInTheSummary(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("otlp.jsonl");
        Files.writeString(log, "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
                + "\"value\":{\"stringValue\":\"billing\"}}]},\"scopeLogs\":[{\"logRecords\":["
                + "{\"timeUnixNano\":\"1795256130000000000\",\"severityNumber\":17,"
                + "\"body\":{\"stringValue\":\"payment gateway exploded\"}}]}]}]}\n");
        CliRun run = CliRun.of("scan", "--summary", log.toString());
        assertThat(run.exit()).isZero();
        assertThat(unmatchedSection(run.out())).contains("payment gateway exploded");
    }

    /**
     * The same section for JSON logs whose text is in {@code error} / {@code err.message} (message-like fields the
     * matcher scans) rather than {@code message}: every such line is counted under an empty text, so the table
     * shows a count next to nothing and merges unrelated failures.
     */
    @Test
    void shouldShowTheTextOfUnmatchedJsonErrorLinesWithoutAMessageFieldInTheSummary() {
        String input = "{\"level\":\"error\",\"error\":\"connection refused to db-7\"}\n"
                + "{\"level\":\"error\",\"err\":{\"message\":\"disk quota exceeded\"}}\n";
        CliRun run = CliRun.withStdin(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                "scan", "--summary", "-");
        assertThat(run.exit()).isZero();
        assertThat(unmatchedSection(run.out())).contains("connection refused").contains("disk quota exceeded");
    }
}
