package dev.faultline.ops;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a mounted route sees of a request: method, path and decoded query parameters (bounded in
 * number and length). No headers, no body, no client address: routes of the ops server are
 * read-only views.
 *
 * @param method the HTTP method, upper case
 * @param path   the raw (still percent-encoded) path, e.g. {@code /api/errors/top}
 * @param query  decoded query parameters in order of appearance
 */
public record OpsRequest(String method, String path, Map<String, List<String>> query) {
    public OpsRequest {
        query = Map.copyOf(query);
    }

    /** The first value of a query parameter. */
    public Optional<String> param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
