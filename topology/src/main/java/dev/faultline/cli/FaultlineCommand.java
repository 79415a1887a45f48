package dev.faultline.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code faultline} entry point. */
@Command(name = "faultline",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Error intelligence for Kafka log topics: find error codes, enrich them from catalogs, alert on spikes.",
        subcommands = {
                ScanCommand.class,
                ExplainCommand.class,
                RunCommand.class,
                GenerateCommand.class,
                DemoCommand.class,
                CatalogCommand.class,
                CommandLine.HelpCommand.class
        })
public final class FaultlineCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line; tests call {@code execute} on it with their own streams. */
    public static CommandLine commandLine() {
        return new CommandLine(new FaultlineCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
