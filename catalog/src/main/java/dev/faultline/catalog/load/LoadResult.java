package dev.faultline.catalog.load;

import dev.faultline.catalog.model.CatalogSet;
import java.util.List;
import java.util.Optional;

/** The outcome of a load: a catalog set when there are no problems, else every problem found. */
public record LoadResult(Optional<CatalogSet> catalogs, List<Problem> problems) {
    public LoadResult {
        problems = List.copyOf(problems);
        if (catalogs.isPresent() && !problems.isEmpty()) {
            throw new IllegalArgumentException("a load with problems yields no catalogs");
        }
    }

    public boolean isValid() {
        return problems.isEmpty();
    }

    /** The catalogs, or an exception listing every problem. */
    public CatalogSet orThrow() {
        return catalogs.orElseThrow(() -> new CatalogValidationException(problems));
    }
}
