package dev.faultline.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the real command line in-process with captured output. */
record CliRun(int exit, String out, String err) {
    static CliRun of(String... args) {
        return withStdin(new ByteArrayInputStream(new byte[0]), args);
    }

    static CliRun withStdin(InputStream stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = FaultlineCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        CommandLine scan = cli.getSubcommands().get("scan");
        ((ScanCommand) scan.getCommand()).stdin = stdin;
        int exit = cli.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }
}
