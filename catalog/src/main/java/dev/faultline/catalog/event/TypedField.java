package dev.faultline.catalog.event;

import java.util.List;
import java.util.Objects;

/**
 * One structured field the typed fast path reads.
 *
 * @param path     dotted path, e.g. {@code error.code}; a JSON key containing dots ({@code "error.code"})
 *                 matches the same path as nested objects do
 * @param kind     whether numbers in it are RPC codes
 * @param anyDepth {@code true}: the path may sit anywhere in the event (a JSON-RPC envelope nested
 *                 in a field); {@code false}: only at the top level (or inside an OTel
 *                 {@code attributes} map)
 */
public record TypedField(String path, FieldKind kind, boolean anyDepth) {
    public TypedField {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
    }

    public List<String> segments() {
        return List.of(path.split("\\."));
    }

    /** The default ordered list: see the README's matcher section. */
    public static List<TypedField> defaults() {
        return List.of(
                new TypedField("error.code", FieldKind.RPC, true),
                new TypedField("data.error_code", FieldKind.CODE, true),
                new TypedField("err.code", FieldKind.CODE, true),
                new TypedField("error_code", FieldKind.CODE, false),
                new TypedField("errorCode", FieldKind.CODE, false),
                new TypedField("err_code", FieldKind.CODE, false),
                new TypedField("code", FieldKind.CODE, false),
                new TypedField("error.type", FieldKind.CODE, false),
                new TypedField("exception.type", FieldKind.CODE, false),
                new TypedField("rpc.jsonrpc.error_code", FieldKind.RPC, false),
                new TypedField("rpc.error_code", FieldKind.RPC, false));
    }
}
