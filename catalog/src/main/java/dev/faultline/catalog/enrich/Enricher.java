package dev.faultline.catalog.enrich;

import dev.faultline.catalog.event.EventParser;
import dev.faultline.catalog.event.LogEvent;
import dev.faultline.catalog.event.ParseResult;
import dev.faultline.catalog.match.CatalogIndex;
import dev.faultline.catalog.match.MatchResult;
import dev.faultline.catalog.match.Matcher;
import dev.faultline.catalog.model.CatalogSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Parse, match, enrich: the one code path {@code faultline scan} and the stream share. Immutable
 * and thread-safe; to change catalogs, build a new one and swap the reference.
 */
public final class Enricher {
    private final CatalogSet catalogs;
    private final EnricherConfig config;
    private final EventParser parser;
    private final Matcher matcher;
    private final String catalogVersion;
    private final EnrichedEventJson json;

    private Enricher(CatalogSet catalogs, EnricherConfig config) {
        this.catalogs = catalogs;
        this.config = config;
        this.parser = new EventParser(config.parse());
        this.matcher = new Matcher(CatalogIndex.of(catalogs), config.bindings());
        this.catalogVersion = catalogs.versionStamp();
        this.json = EnrichedEventJson.of(catalogs);
    }

    public static Enricher create(CatalogSet catalogs, EnricherConfig config) {
        return new Enricher(catalogs, config);
    }

    public CatalogSet catalogs() {
        return catalogs;
    }

    public EnricherConfig config() {
        return config;
    }

    public Matcher matcher() {
        return matcher;
    }

    /** The enriched-event JSON writer, with this enricher's catalog entries rendered ahead. */
    public EnrichedEventJson json() {
        return json;
    }

    public String catalogVersion() {
        return catalogVersion;
    }

    /**
     * Processes one record.
     *
     * @param record          the raw bytes (a Kafka value, a line of a file)
     * @param source          where they came from
     * @param fallbackService the service to assume when the log names none (a topic binding), or {@code null}
     */
    public ProcessOutcome process(byte[] record, SourceRef source, String fallbackService) {
        ParseResult parsed = parser.parse(record);
        if (parsed instanceof ParseResult.Unreadable u) {
            return new ProcessOutcome.Unreadable(u.reason(), u.detail());
        }
        List<LogEvent> events = ((ParseResult.Events) parsed).events();
        if (events.size() == 1) {
            // Nearly every record is one event; List.of skips the ArrayList and the copy Enriched makes of it.
            return new ProcessOutcome.Enriched(List.of(enrich(events.get(0).withServiceIfAbsent(fallbackService),
                    source)));
        }
        List<EnrichedEvent> out = new ArrayList<>(events.size());
        for (LogEvent event : events) {
            out.add(enrich(event.withServiceIfAbsent(fallbackService), source));
        }
        return new ProcessOutcome.Enriched(out);
    }

    /** Matches and enriches one parsed event. */
    public EnrichedEvent enrich(LogEvent event, SourceRef source) {
        MatchResult result = matcher.match(event);
        return new EnrichedEvent(event, source, result.errors(), result.unknownCodes(), catalogVersion);
    }
}
