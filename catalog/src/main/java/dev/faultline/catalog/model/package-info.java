/**
 * The catalog model: immutable records for catalogs, entries, shared-token resolutions, the
 * normalized error-class vocabulary and transience with its provenance.
 *
 * <p>Depends on nothing but the JDK. Everything else in Faultline may depend on it.
 */
package dev.faultline.catalog.model;
