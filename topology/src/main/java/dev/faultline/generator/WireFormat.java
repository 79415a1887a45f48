package dev.faultline.generator;

/** The shapes of log line the generator writes. */
public enum WireFormat {
    /** pino-style JSON: numeric level, {@code msg}, {@code err.code}. */
    PINO_JSON,
    /** A JSON log line carrying a JSON-RPC 2.0 error response ({@code response.error.code} is the number). */
    JSON_RPC,
    /** A foundry-mcp response envelope: {@code success:false, data.error_code, data.error_type}. */
    FOUNDRY_ENVELOPE,
    /** Elastic Common Schema JSON: {@code @timestamp}, {@code service.name}, {@code error.code}. */
    ECS_JSON,
    /** {@code key=value} pairs with {@code err_code=...}. */
    LOGFMT,
    /** RFC 5424 syslog or a plain text line, the code in the message with context ({@code error: CODE}). */
    TEXT,
    /** An OTLP/JSON logs export batch: {@code resourceLogs} with {@code service.name}, {@code error.type}. */
    OTLP_JSON
}
