package dev.faultline.ops;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * What a route answers: a status, a content type and a body (the server adds
 * {@code X-Content-Type-Options: nosniff} and {@code Cache-Control: no-store}).
 */
public record OpsResponse(int status, String contentType, byte[] body) {
    public static final String JSON = "application/json; charset=utf-8";

    public OpsResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("bad status");
        }
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
    }

    /** A JSON response; {@code json} must already be serialized JSON. */
    public static OpsResponse json(int status, String json) {
        return new OpsResponse(status, JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code {"error": message}} with this status; {@code message} is JSON-escaped. */
    public static OpsResponse error(int status, String message) {
        return json(status, OpsServer.toJson(Map.of("error", message)));
    }
}
