package dev.faultline.cli;

import dev.faultline.catalog.enrich.EnricherConfig;
import dev.faultline.catalog.load.CatalogLoader;
import dev.faultline.catalog.load.LoadResult;
import dev.faultline.catalog.load.Problem;
import dev.faultline.catalog.model.CatalogSet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Shared {@code --catalog-dir} option: user catalogs over the bundled ones. */
final class CatalogOptions {
    @Option(names = "--catalog-dir", paramLabel = "DIR",
            description = "A directory of user catalogs (*.yaml, *.yml, *.json) over the bundled ones; repeatable.")
    List<Path> catalogDirs = new ArrayList<>();

    /** Loads bundled + user catalogs; prints every problem and returns null when any. */
    static LoadResult load(List<Path> dirs, PrintWriter err) {
        LoadResult result = new CatalogLoader().load(dirs);
        if (!result.isValid()) {
            err.println("faultline: the catalogs do not validate (" + result.problems().size() + " problem(s)):");
            for (Problem p : result.problems()) {
                err.println("  " + Sanitize.forTerminal(p.toString()));
            }
            err.flush();
        }
        return result;
    }

    /**
     * One line per catalog a service binding names that {@code catalogs} does not hold
     * ({@code services[i]: no catalog 'x' is loaded}). A service bound only to such catalogs matches no code.
     */
    static List<String> unloadedBindings(EnricherConfig config, CatalogSet catalogs) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < config.bindings().size(); i++) {
            for (String id : config.bindings().get(i).catalogs()) {
                if (catalogs.catalog(id).isEmpty()) {
                    lines.add("services[" + i + "]: no catalog '" + Sanitize.forTerminal(id) + "' is loaded");
                }
            }
        }
        return lines;
    }
}
