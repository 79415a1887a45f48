package dev.faultline.cli;

import dev.faultline.catalog.enrich.EnricherConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What {@code scan} takes from the config file: the same catalogs, bindings, fields and limits as the stream. */
record ScanSettings(List<Path> catalogDirs, EnricherConfig enricherConfig) {

    /** Reads the config (when given) and adds the command line's catalog dirs; prints every error and returns null on any. */
    static ScanSettings resolve(Path configFile, List<Path> extraCatalogDirs, PrintWriter err) {
        List<Path> dirs = new ArrayList<>();
        EnricherConfig enricher = EnricherConfig.defaults();
        if (configFile != null) {
            ConfigSupport.Loaded loaded = ConfigSupport.load(configFile, err);
            if (loaded == null) {
                return null;
            }
            dirs.addAll(loaded.catalogDirs());
            enricher = loaded.enricherConfig();
        }
        dirs.addAll(extraCatalogDirs);
        return new ScanSettings(dirs, enricher);
    }
}
