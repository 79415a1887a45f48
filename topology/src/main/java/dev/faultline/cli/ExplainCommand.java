package dev.faultline.cli;

import dev.faultline.catalog.load.LoadResult;
import dev.faultline.catalog.match.CatalogIndex;
import dev.faultline.catalog.match.UnknownCode;
import dev.faultline.catalog.model.Catalog;
import dev.faultline.catalog.model.CatalogEntry;
import dev.faultline.catalog.model.CatalogSet;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code faultline explain CODE}: like {@code nefia explain}, brief by default (code, title, first
 * step) or {@code --verbose} (every field, every step, links). Any alias form works.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Explain an error code from the catalogs, or list them (--list).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the code was found (or listed)", "1:unknown code", "2:invalid usage or catalogs"})
public final class ExplainCommand implements Callable<Integer> {
    static final int UNKNOWN = 1;
    static final int INVALID = 2;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CODE",
            description = "Any form of a code: E2001, SSH_AUTH_FAILED, -32003, auth.invalid_token, NCP-ANCHOR-NOT-FOUND.")
    String code;

    @Option(names = "--catalog", paramLabel = "ID", description = "Only this catalog (nefia, agent-tasks, foundry-mcp, vault-rpc, nps, or a user catalog).")
    String catalog;

    @Option(names = {"-v", "--verbose"}, description = "Every field, every remediation step, links and resolution notes.")
    boolean verbose;

    @Option(names = "--list", description = "List codes and titles.")
    boolean list;

    @Mixin
    CatalogOptions catalogOptions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoadResult loaded = CatalogOptions.load(catalogOptions.catalogDirs, err);
        if (!loaded.isValid()) {
            return INVALID;
        }
        CatalogSet catalogs = loaded.orThrow();
        if (catalog != null && catalogs.catalog(catalog).isEmpty()) {
            err.println("faultline explain: no catalog '" + Sanitize.forTerminal(catalog) + "'; loaded: "
                    + String.join(", ", catalogs.catalogs().stream().map(Catalog::id).toList()));
            return INVALID;
        }
        if (list) {
            list(catalogs, catalog, out);
            return 0;
        }
        if (code == null) {
            err.println("faultline explain: give a CODE, or --list");
            return INVALID;
        }
        CatalogIndex index = CatalogIndex.of(catalogs);
        List<CatalogEntry> found = index.lookup(code, Optional.ofNullable(catalog));
        if (found.isEmpty()) {
            UnknownCode form = index.unknown("code", code.strip(), catalog == null ? null : List.of(catalog));
            err.println("faultline explain: unknown code '" + Sanitize.forTerminal(code) + "'"
                    + (catalog == null ? "" : " in catalog " + catalog)
                    + (form.category() == null ? ""
                            : "; by its form it is a " + form.catalog() + " code of category " + form.category())
                    + ". Codes are case-sensitive; `faultline explain --list` shows them all.");
            return UNKNOWN;
        }
        if (found.size() > 1) {
            out.println(code + " is ambiguous: it names " + found.size() + " entries."
                    + (catalog == null ? " Narrow it with --catalog ID." : ""));
            for (CatalogEntry e : found) {
                out.println("  " + e.catalog() + " " + e.code() + forms(e) + ": " + e.title());
            }
            if (!verbose) {
                return 0;
            }
            out.println();
        }
        for (CatalogEntry e : found) {
            if (verbose) {
                verbose(e, catalogs, out);
            } else {
                brief(e, out);
            }
        }
        return 0;
    }

    private static void list(CatalogSet catalogs, String only, PrintWriter out) {
        out.printf("%-12s %-34s %s%n", "CATALOG", "CODE", "TITLE");
        for (Catalog c : catalogs.catalogs()) {
            if (only != null && !only.equals(c.id())) {
                continue;
            }
            for (CatalogEntry e : c.entries().values()) {
                out.printf("%-12s %-34s %s%n", c.id(), e.code(), e.title());
            }
        }
    }

    private static void brief(CatalogEntry e, PrintWriter out) {
        out.println("Error [" + e.code() + "]" + forms(e) + ": " + e.title() + "  (" + e.catalog() + ")");
        if (e.description() != null) {
            out.println(e.description());
        }
        out.println("Class: " + e.errorClass().wire() + " · " + e.transience().wire()
                + (e.retryAfterMs() != null ? " · retry after " + e.retryAfterMs() + " ms" : ""));
        if (!e.remediation().isEmpty()) {
            out.println("Resolution: " + e.remediation().get(0));
        }
        if (e.recoveryTool() != null) {
            out.println("Recovery tool: " + e.recoveryTool());
        }
    }

    private static void verbose(CatalogEntry e, CatalogSet catalogs, PrintWriter out) {
        Catalog c = catalogs.catalog(e.catalog()).orElseThrow();
        out.println("Error [" + e.code() + "]: " + e.title());
        if (e.description() != null) {
            out.println(e.description());
        }
        field(out, "Catalog", c.id() + " @ " + c.version() + (c.source() != null ? " — " + c.source() : ""));
        field(out, "Category", e.category());
        field(out, "Source type", e.sourceType());
        field(out, "Class", e.errorClass().wire());
        field(out, "E-code", e.eCode());
        field(out, "RPC code", e.rpcCode() == null ? null : e.rpcCode().toString());
        field(out, "Aliases", e.aliases().isEmpty() ? null : String.join(", ", e.aliases()));
        field(out, "HTTP status", e.httpStatus() == null ? null : e.httpStatus().toString());
        field(out, "NPS status", e.npsStatus());
        String basis = e.transienceBasis().source().wire()
                + (e.transienceBasis().rule() != null ? " by rule " + e.transienceBasis().rule() : "")
                + ": " + e.transienceBasis().basis();
        field(out, "Transience", e.transience().wire() + " (" + basis + ")");
        field(out, "Retry after", e.retryAfterMs() == null ? null : e.retryAfterMs() + " ms");
        field(out, "Retry note", e.retryAfterNote());
        field(out, "Recovery tool", e.recoveryTool() == null ? null
                : e.recoveryTool() + (e.recoveryToolNote() != null ? " — " + e.recoveryToolNote() : ""));
        if (!e.remediation().isEmpty()) {
            out.println("Resolution:");
            int step = 1;
            for (String s : e.remediation()) {
                out.println("  " + step++ + ". " + s);
            }
        }
        field(out, "Docs", e.docs() != null ? e.docs() : c.docs());
        for (String note : e.notes()) {
            out.println("Note: " + note);
        }
        c.resolutions().stream()
                .filter(r -> r.claimants().contains(e.code()))
                .forEach(r -> out.println("Shared token " + r.token() + ": "
                        + (r.ambiguous() ? "ambiguous between " + String.join(", ", r.claimants())
                                : "resolves to " + r.owner())
                        + " — " + r.reason()));
        out.println();
    }

    private static String forms(CatalogEntry e) {
        List<String> aliases = e.allAliases();
        return aliases.isEmpty() ? "" : " (" + String.join(", ", aliases) + ")";
    }

    private static void field(PrintWriter out, String name, String value) {
        if (value != null) {
            out.printf("%-15s %s%n", name + ":", value);
        }
    }
}
