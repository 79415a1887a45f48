package dev.faultline.catalog.event;

import java.util.Locale;

/** The format a record was detected as. */
public enum LogFormat {
    JSON,
    ECS,
    LOGFMT,
    TEXT,
    OTLP;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
