package dev.faultline.catalog.match;

import dev.faultline.catalog.model.CatalogEntry;
import java.util.List;

/**
 * What one token means inside one catalog: its owner (the token resolves there), or, for a
 * token the catalog resolves as ambiguous, no owner and every claimant.
 */
record CatalogHit(String catalog, CatalogEntry owner, List<CatalogEntry> claimants) {
    CatalogHit {
        claimants = List.copyOf(claimants);
    }

    /** The entries this hit could mean: the owner alone, or every claimant. */
    List<CatalogEntry> meanings() {
        return owner != null ? List.of(owner) : claimants;
    }
}
