package dev.faultline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CommandHelpTest {

    private static void collect(CommandLine cli, List<CommandLine> out) {
        out.add(cli);
        cli.getSubcommands().values().forEach(sub -> collect(sub, out));
    }

    @Test
    void shouldRenderEveryCommandsHelpWithoutAFormatWarning() {
        List<CommandLine> all = new ArrayList<>();
        collect(FaultlineCommand.commandLine(), all);
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> usages = new ArrayList<>();
        try {
            // picocli reports a description it cannot format (an unescaped '%') on System.err and prints it raw.
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            all.forEach(cli -> usages.add(cli.getUsageMessage()));
        } finally {
            System.setErr(saved);
        }
        assertThat(all).hasSizeGreaterThan(5);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(usages).allSatisfy(u -> assertThat(u).isNotBlank());
    }
}
