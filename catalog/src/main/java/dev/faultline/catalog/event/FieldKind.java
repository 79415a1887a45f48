package dev.faultline.catalog.event;

/** What a number found in a typed field means. */
public enum FieldKind {
    /** A JSON-RPC error-code field: a number (or numeric string) here is an RPC code. */
    RPC,
    /** Any other code field: a number here is not an error code and is ignored. */
    CODE
}
