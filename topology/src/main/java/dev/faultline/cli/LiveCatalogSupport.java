package dev.faultline.cli;

import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.catalog.load.CatalogValidationException;
import dev.faultline.catalog.load.Problem;
import dev.faultline.catalog.model.CatalogSet;
import dev.faultline.catalogs.CatalogTopic;
import dev.faultline.catalogs.LiveCatalogs;
import dev.faultline.config.FaultlineConfig;
import dev.faultline.config.FaultlineKeys;
import java.io.PrintWriter;
import java.util.function.Supplier;

/** What {@code faultline run} enriches with: live catalogs from the catalog topic, or fixed ones. */
final class LiveCatalogSupport {
    private LiveCatalogSupport() {
    }

    /**
     * With {@code catalog.live} (the default): {@link LiveCatalogs} over bundled + {@code catalog.dirs},
     * after making sure the catalog topic exists (created compacted when missing), so the topology
     * reads it as a global store. Otherwise the fixed {@code catalogs}. Returns {@code null} after
     * printing why when the catalog topic cannot be checked or created.
     *
     * @param listener told every topic-driven reload's result ({@code metrics::recordCatalogReload})
     */
    static Supplier<Enricher> enricher(FaultlineConfig cfg, CatalogSet catalogs, LiveCatalogs.ReloadListener listener,
            PrintWriter err) {
        if (!cfg.get(FaultlineKeys.CATALOG_LIVE)) {
            Enricher fixed = Enricher.create(catalogs, cfg.enricherConfig());
            return () -> fixed;
        }
        LiveCatalogs live;
        try {
            live = LiveCatalogs.fromConfig(cfg, listener);
        } catch (CatalogValidationException e) {
            err.println("faultline: invalid catalogs (" + e.problems().size() + " problem(s)):");
            for (Problem p : e.problems()) {
                err.println("  " + Sanitize.forTerminal(p.toString()));
            }
            err.flush();
            return null;
        }
        try {
            CatalogTopic.ensure(cfg).ifPresent(w -> err.println("faultline: warning: " + Sanitize.forTerminal(w)));
        } catch (CatalogTopic.KafkaAdminException e) {
            err.println("faultline: " + Sanitize.forTerminal(e.getMessage())
                    + " (create it compacted, or set catalog.live: false to run with fixed catalogs)");
            err.flush();
            return null;
        }
        return live;
    }
}
