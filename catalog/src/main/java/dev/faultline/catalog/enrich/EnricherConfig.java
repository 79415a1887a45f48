package dev.faultline.catalog.enrich;

import dev.faultline.catalog.event.ParseConfig;
import dev.faultline.catalog.match.ServiceBinding;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@link Enricher} needs besides the catalogs. Immutable.
 *
 * @param parse           what the parser extracts and its bounds
 * @param bindings        service → catalog scoping, tried in order
 * @param maxMessageChars messages longer than this are cut in the enriched event (the original
 *                        stays on the source topic)
 */
public record EnricherConfig(ParseConfig parse, List<ServiceBinding> bindings, int maxMessageChars) {
    public EnricherConfig {
        Objects.requireNonNull(parse, "parse");
        bindings = List.copyOf(bindings);
        if (maxMessageChars < 64) {
            throw new IllegalArgumentException("maxMessageChars must be at least 64");
        }
    }

    public static EnricherConfig defaults() {
        return new EnricherConfig(ParseConfig.defaults(), List.of(), 8192);
    }

    public EnricherConfig withBindings(List<ServiceBinding> newBindings) {
        return new EnricherConfig(parse, newBindings, maxMessageChars);
    }
}
