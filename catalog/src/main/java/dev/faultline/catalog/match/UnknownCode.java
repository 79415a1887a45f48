package dev.faultline.catalog.match;

/** A value in a typed code field that no loaded catalog holds: how users learn what their catalogs miss. */
public record UnknownCode(String field, String value) {
}
