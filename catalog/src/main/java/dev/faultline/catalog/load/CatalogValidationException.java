package dev.faultline.catalog.load;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown by {@link LoadResult#orThrow()}: carries every problem, one per line. */
public final class CatalogValidationException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    public CatalogValidationException(List<Problem> problems) {
        super(problems.size() + " catalog problem(s):\n  "
                + problems.stream().map(Problem::toString).collect(Collectors.joining("\n  ")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
