package dev.faultline.cli;

import picocli.CommandLine;

/** Reports the jar's implementation version, or "dev" when run from classes. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = FaultlineCommand.class.getPackage().getImplementationVersion();
        return new String[] {"faultline " + (v == null ? "dev" : v)};
    }
}
