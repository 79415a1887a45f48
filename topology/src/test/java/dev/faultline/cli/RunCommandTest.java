package dev.faultline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
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
    void shouldListRunAmongTheSubcommands() {
        Run run = run("--help");

        assertThat(run.out).contains("run");
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
