package dev.faultline.config;

import dev.faultline.catalog.match.ServiceBinding;
import java.util.List;
import java.util.Objects;

/**
 * Names the service of records read from topics matching a glob, for logs that do not name one.
 *
 * @param topicGlob {@code *} any run, {@code ?} one character
 * @param service   the fallback service
 */
public record TopicBinding(String topicGlob, String service) {
    public TopicBinding {
        Objects.requireNonNull(topicGlob, "topicGlob");
        Objects.requireNonNull(service, "service");
    }

    /** Whether {@code topic} matches the glob (the same glob rules as service bindings). */
    public boolean matches(String topic) {
        return new ServiceBinding(topicGlob, List.of()).matches(topic);
    }
}
