package dev.faultline.cli;

import dev.faultline.catalog.load.CatalogLoader;
import dev.faultline.catalog.load.LoadResult;
import dev.faultline.catalog.load.Problem;
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
}
