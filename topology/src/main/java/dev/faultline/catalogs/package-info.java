/**
 * Live catalog updates: the catalog topic protocol, the global store every instance reads it
 * into, and the holder that swaps the enricher when a published catalog validates.
 *
 * <h2>The catalog topic</h2>
 * <ul>
 *   <li>Topic: {@code topics.catalog} (default {@code faultline.catalog}); compacted, one partition
 *       (so updates have one order), created by {@code faultline catalog publish} (and by
 *       {@code faultline run}) when missing.</li>
 *   <li>Key: the catalog id (UTF-8), e.g. {@code nefia} or {@code acme}. It must equal the
 *       document's {@code id}: one key holds one catalog document.</li>
 *   <li>Value: the catalog document bytes exactly as a user writes them (YAML, or JSON when the
 *       first non-blank character is <code>{</code>), at most {@link CatalogTopic#MAX_DOCUMENT_BYTES}
 *       bytes, with a {@code version} (stamped on every enriched event). A document whose id is a
 *       bundled catalog's overrides it entry by entry; any other id adds a catalog.</li>
 *   <li>Tombstone (null value): removes that key's document; bundled catalogs can never be removed
 *       (only an override of one).</li>
 *   <li>Headers (informational; a record without them is still read): {@link CatalogTopic#FORMAT}
 *       ({@code yaml}|{@code json}), {@link CatalogTopic#FILE} (the published file's name),
 *       {@link CatalogTopic#PUBLISHER} ({@code user@host}), {@link CatalogTopic#SHA256} (hex SHA-256
 *       of the value; a mismatch rejects the record).</li>
 * </ul>
 *
 * <h2>Applying updates</h2>
 * Every instance reads the whole topic as a global store ({@link CatalogGlobalStore}). On each
 * record, {@link LiveCatalogs} rebuilds the catalog set = bundled + the config's {@code catalog.dirs}
 * (read once at start) + every applied topic document, with that one key replaced or removed,
 * validates it, and on success swaps the enricher the topology asks for per record. A document
 * that fails validation is never applied: that catalog keeps its last good version, one WARN line
 * names the catalog id, file, publisher and every problem, and the failed-reload metric counts it.
 */
package dev.faultline.catalogs;
