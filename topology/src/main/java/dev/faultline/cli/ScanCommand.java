package dev.faultline.cli;

import dev.faultline.catalog.enrich.EnrichedEvent;
import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.catalog.enrich.EnricherConfig;
import dev.faultline.catalog.enrich.ProcessOutcome;
import dev.faultline.catalog.enrich.SourceRef;
import dev.faultline.catalog.event.UnreadableReason;
import dev.faultline.catalog.load.LoadResult;
import dev.faultline.catalog.model.CatalogSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code faultline scan}: exactly the parser, matcher and enrichment the stream uses, on files or
 * stdin; enriched JSONL (one line per event with at least one error or unknown code) to stdout,
 * or a coverage table with {@code --summary}. Bad input gets a one-line diagnostic on stderr
 * naming file and line and the scan goes on.
 */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = "Find and enrich error codes in log files (or stdin) with the stream's own matcher.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:scanned (unreadable records are reported on stderr)",
                "1:--strict and at least one record was unreadable",
                "2:invalid usage, config or catalogs, a service binding to a catalog that is not loaded, or an input file that could not be read (the others are scanned)"})
public final class ScanCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Log files; '-' or none reads stdin.")
    List<String> files = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE", description = "Faultline config (catalog dirs, service bindings, matcher fields, limits).")
    Path config;

    @Option(names = "--summary", description = "Print a coverage table per catalog instead of enriched JSONL.")
    boolean summary;

    @Option(names = "--strict", description = "Exit 1 if any record is unreadable.")
    boolean strict;

    @Option(names = "--service", paramLabel = "NAME", description = "Service to assume for events that name none (scopes ambiguous codes).")
    String service;

    @Mixin
    CatalogOptions catalogOptions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Where stdin comes from; tests replace it. */
    InputStream stdin = System.in;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        ScanSettings settings = ScanSettings.resolve(config, catalogOptions.catalogDirs, err);
        if (settings == null) {
            return 2;
        }
        LoadResult loaded = CatalogOptions.load(settings.catalogDirs(), err);
        if (!loaded.isValid()) {
            return 2;
        }
        EnricherConfig enricherConfig = settings.enricherConfig();
        // A scan has all its catalogs at start (no topic publishes more while it runs): a binding to another is a typo.
        List<String> unloaded = CatalogOptions.unloadedBindings(enricherConfig, loaded.orThrow());
        if (!unloaded.isEmpty()) {
            unloaded.forEach(err::println);
            return 2;
        }
        Enricher enricher = Enricher.create(loaded.orThrow(), enricherConfig);
        ScanSummary table = summary ? new ScanSummary(enricher.catalogs()) : null;
        PrintWriter out = spec.commandLine().getOut();
        long bad = 0;
        boolean unopened = false;
        List<String> inputs = files.isEmpty() ? List.of("-") : files;
        for (String name : inputs) {
            boolean isStdin = name.equals("-");
            Path path = isStdin ? null : Path.of(name);
            // Any file that cannot be read is named and skipped, and the others are still scanned.
            String unreadable = isStdin ? null : Files.isDirectory(path) ? "is a directory"
                    : Files.isReadable(path) ? null : "cannot read file";
            if (unreadable != null) {
                err.println(Sanitize.forTerminal(name) + ": " + unreadable);
                unopened = true;
                continue;
            }
            try (InputStream in = isStdin ? new NonClosingInput(stdin) : Files.newInputStream(path)) {
                bad += scan(isStdin ? "<stdin>" : name, in, enricher, enricherConfig, table, out, err);
            } catch (IOException e) {
                err.println(Sanitize.forTerminal(name) + ": cannot read file: "
                        + Sanitize.forTerminal(String.valueOf(e.getMessage())));
                unopened = true;
            }
        }
        out.flush();
        if (table != null) {
            table.print(spec.commandLine().getOut());
        }
        err.flush();
        // As cat and grep do: a named input that could not be read fails the run, after the others were scanned.
        return unopened ? 2 : strict && bad > 0 ? 1 : 0;
    }

    private long scan(String name, InputStream in, Enricher enricher, EnricherConfig cfg, ScanSummary table,
            PrintWriter out, PrintWriter err) throws IOException {
        BoundedLineReader reader = new BoundedLineReader(in, cfg.parse().maxRecordBytes());
        long lineNo = 0;
        long bad = 0;
        BoundedLineReader.Line line;
        while ((line = reader.next()) != null) {
            lineNo++;
            if (line.tooLong()) {
                bad++;
                diagnostic(err, name, lineNo, UnreadableReason.TOO_LARGE.wire(),
                        "record is " + line.length() + " bytes; the limit is " + cfg.parse().maxRecordBytes());
                if (table != null) {
                    table.unreadable(UnreadableReason.TOO_LARGE);
                }
                continue;
            }
            ProcessOutcome outcome = enricher.process(line.bytes(), SourceRef.file(name, lineNo), service);
            if (outcome instanceof ProcessOutcome.Unreadable u) {
                bad++;
                diagnostic(err, name, lineNo, u.reason().wire(), u.detail());
                if (table != null) {
                    table.unreadable(u.reason());
                }
                continue;
            }
            for (EnrichedEvent e : ((ProcessOutcome.Enriched) outcome).events()) {
                if (table != null) {
                    table.event(e);
                } else if (e.hasFindings()) {
                    out.write(new String(enricher.json().bytes(e, cfg.maxMessageChars()), StandardCharsets.UTF_8));
                    out.write('\n');
                }
            }
        }
        return bad;
    }

    private static void diagnostic(PrintWriter err, String file, long line, String reason, String detail) {
        err.println(Sanitize.forTerminal(file) + ":" + line + ": unreadable (" + reason + "): "
                + Sanitize.forTerminal(detail));
    }

    /** Keeps try-with-resources from closing System.in. */
    private static final class NonClosingInput extends java.io.FilterInputStream {
        NonClosingInput(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
