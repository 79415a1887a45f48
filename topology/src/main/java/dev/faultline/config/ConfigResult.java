package dev.faultline.config;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of loading configuration: a config when there are no errors, else every error found
 * (each prefixed with where the value came from: the file or the environment variable).
 */
public record ConfigResult(Optional<FaultlineConfig> config, List<String> errors) {
    public ConfigResult {
        errors = List.copyOf(errors);
        if (config.isPresent() == !errors.isEmpty()) {
            throw new IllegalArgumentException("a result has a config or errors, not both");
        }
    }

    /** Whether loading succeeded. */
    public boolean isValid() {
        return errors.isEmpty();
    }

    /** The config, or a {@link ConfigException} listing every error. */
    public FaultlineConfig orThrow() {
        return config.orElseThrow(() -> new ConfigException(errors));
    }
}
