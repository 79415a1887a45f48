package dev.faultline.catalog.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * The derivation rules for entries whose source states no transience. Written down once, here;
 * {@code docs/catalog-format.md} lists the same table for catalog authors.
 */
public enum TransienceRule {
    RATE_LIMIT_IS_TRANSIENT("rate-limit-is-transient", Transience.TRANSIENT,
            "a rate limit clears when its window passes", EnumSet.of(ErrorClass.RATE_LIMIT)),
    UNAVAILABLE_IS_TRANSIENT("unavailable-is-transient", Transience.TRANSIENT,
            "a temporarily unavailable service comes back", EnumSet.of(ErrorClass.UNAVAILABLE)),
    TIMEOUT_IS_TRANSIENT("timeout-is-transient", Transience.TRANSIENT,
            "a timeout may not recur under less load", EnumSet.of(ErrorClass.TIMEOUT)),
    CONFLICT_DEPENDS_ON_STATE("conflict-depends-on-state", Transience.CONDITIONAL,
            "a conflict clears only if the conflicting state changes", EnumSet.of(ErrorClass.CONFLICT)),
    INTERNAL_MAY_BE_TRANSIENT("internal-may-be-transient", Transience.CONDITIONAL,
            "an internal, downstream or cancelled failure may or may not recur",
            EnumSet.of(ErrorClass.INTERNAL, ErrorClass.DEPENDENCY, ErrorClass.CANCELLED)),
    CALLER_FAULT_IS_PERMANENT("caller-fault-is-permanent", Transience.PERMANENT,
            "the same request fails the same way until the caller changes it",
            EnumSet.of(ErrorClass.VALIDATION, ErrorClass.AUTHENTICATION, ErrorClass.AUTHORIZATION,
                    ErrorClass.NOT_FOUND, ErrorClass.PRECONDITION, ErrorClass.QUOTA,
                    ErrorClass.UNSUPPORTED, ErrorClass.PROTOCOL));

    private final String id;
    private final Transience transience;
    private final String why;
    private final Set<ErrorClass> classes;

    TransienceRule(String id, Transience transience, String why, Set<ErrorClass> classes) {
        this.id = id;
        this.transience = transience;
        this.why = why;
        this.classes = classes;
    }

    public String id() {
        return id;
    }

    public Transience transience() {
        return transience;
    }

    public String why() {
        return why;
    }

    /** The rule that covers a class. Every class is covered by exactly one rule (tested). */
    public static TransienceRule forClass(ErrorClass errorClass) {
        for (TransienceRule rule : values()) {
            if (rule.classes.contains(errorClass)) {
                return rule;
            }
        }
        throw new IllegalStateException("no transience rule covers class " + errorClass);
    }

    public boolean covers(ErrorClass errorClass) {
        return classes.contains(errorClass);
    }
}
