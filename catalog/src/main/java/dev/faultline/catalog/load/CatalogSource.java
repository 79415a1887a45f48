package dev.faultline.catalog.load;

import java.util.Objects;

/**
 * The raw bytes of one catalog document and where they came from. {@code name} decides the format:
 * {@code .json} is JSON, anything else YAML.
 */
public record CatalogSource(String name, byte[] content, boolean bundled) {
    public CatalogSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(content, "content");
    }

    boolean isJson() {
        return name.endsWith(".json");
    }
}
