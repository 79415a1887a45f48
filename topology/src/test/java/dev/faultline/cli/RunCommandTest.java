package dev.faultline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code faultline run} paths that end before Kafka is contacted. */
class RunCommandTest {

    @Test
    void shouldExitWith2AndPrintEveryConfigErrorAtOnce(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("faultline.yaml");
        Files.writeString(file, """
                windows: {grace: soon}
                alerts: {min-cout: 3}
                """);

        Run run = run("run", "--config", file.toString());

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).contains("2 error(s)").contains("windows.grace").contains("alerts.min-cout");
    }

    @Test
    void shouldExitWith2WhenACatalogDirectoryIsMissing(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("faultline.yaml");
        Files.writeString(file, "catalog: {dirs: ['" + dir.resolve("nope") + "']}\n");

        Run run = run("run", "--config", file.toString());

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).contains("invalid catalogs").contains("catalog directory does not exist");
    }

    @Test
    void shouldExitWith2WhenTheFiringTtlDoesNotExceedTheRepeatIntervalWhileDeliveringAlerts(@TempDir Path dir)
            throws Exception {
        Run run = runWithFixedCatalogsAndNoBroker(dir, """
                alerts:
                  repeat-interval: 30m
                  alertmanager: {urls: ["http://127.0.0.1:9093"]}
                  sink: {firing-ttl: 20m}
                """);

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).contains("alerts.sink.firing-ttl: must exceed alerts.repeat-interval");
    }

    @Test
    void shouldExitWith2WhenAServiceBindingNamesACatalogThatIsNotLoadedAndCatalogsAreFixed(@TempDir Path dir)
            throws Exception {
        Run run = runWithFixedCatalogsAndNoBroker(dir, """
                services:
                  - {glob: "vault*", catalogs: [vault-rcp]}
                  - {glob: "nefia*", catalogs: [nefia, nefai]}
                """);

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).contains("invalid configuration (2 error(s))")
                .contains("services[0]: no catalog 'vault-rcp' is loaded")
                .contains("services[1]: no catalog 'nefai' is loaded")
                .doesNotContain("'nefia'");
    }

    @Test
    void shouldExitWith2OnANegativeCloseTimeout(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("faultline.yaml");
        Files.writeString(file, "kafka: {bootstrap.servers: \"127.0.0.1:1\"}\n");

        Run run = run("run", "--config", file.toString(), "--close-timeout", "PT-5S");

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).contains("--close-timeout: must not be negative");
    }

    @Test
    void shouldExitWith1WhenTheOpsPortIsTaken(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path file = dir.resolve("faultline.yaml");
            Files.writeString(file, """
                    kafka: {bootstrap.servers: "127.0.0.1:1"}
                    catalog: {live: false}
                    ops: {host: 127.0.0.1, port: %d}
                    """.formatted(taken.getLocalPort()));

            Run run = run("run", "--config", file.toString());

            assertThat(run.exit).isEqualTo(1);
            assertThat(run.err).contains("cannot serve ops on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void shouldListRunAmongTheSubcommands() {
        Run run = run("--help");

        assertThat(run.out).contains("run");
    }

    /** {@code run} with fixed catalogs, an ephemeral ops port, a broker that never answers, and {@code yaml}. */
    private static Run runWithFixedCatalogsAndNoBroker(Path dir, String yaml) throws IOException {
        Path file = dir.resolve("faultline.yaml");
        Files.writeString(file, """
                kafka: {bootstrap.servers: "127.0.0.1:1"}
                catalog: {live: false}
                ops: {port: 0}
                """ + yaml);
        return run("run", "--config", file.toString());
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = FaultlineCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private record Run(int exit, String out, String err) {
    }
}
