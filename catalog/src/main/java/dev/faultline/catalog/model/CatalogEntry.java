package dev.faultline.catalog.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One error code of one catalog, with every fact its source gives.
 *
 * <p>{@code code}, {@code eCode}, {@code rpcCode} and {@code aliases} are permanent identifiers;
 * everything else is descriptive and may change between catalog versions.
 */
public record CatalogEntry(
        String catalog,
        String code,
        String title,
        String description,
        String category,
        String sourceType,
        ErrorClass errorClass,
        String eCode,
        Integer rpcCode,
        List<String> aliases,
        Integer httpStatus,
        String npsStatus,
        Transience transience,
        TransienceBasis transienceBasis,
        Long retryAfterMs,
        String retryAfterNote,
        List<String> remediation,
        String recoveryTool,
        String recoveryToolNote,
        String docs,
        List<String> notes) {

    public CatalogEntry {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(errorClass, "errorClass");
        Objects.requireNonNull(transience, "transience");
        Objects.requireNonNull(transienceBasis, "transienceBasis");
        aliases = List.copyOf(aliases);
        remediation = List.copyOf(remediation);
        notes = List.copyOf(notes);
    }

    /** Every literal string token that names this entry: code, E-code and aliases (not the RPC number). */
    public List<String> stringTokens() {
        List<String> tokens = new ArrayList<>(2 + aliases.size());
        tokens.add(code);
        if (eCode != null && !eCode.equals(code)) {
            tokens.add(eCode); // E-code-only entries use the E-code as their code
        }
        for (String alias : aliases) {
            if (!tokens.contains(alias)) {
                tokens.add(alias);
            }
        }
        return tokens;
    }

    /** Aliases as shown to users: every other form this entry is known by. */
    public List<String> allAliases() {
        List<String> out = new ArrayList<>(aliases.size() + 2);
        if (eCode != null && !eCode.equals(code)) {
            out.add(eCode);
        }
        if (rpcCode != null) {
            out.add(Integer.toString(rpcCode));
        }
        out.addAll(aliases);
        return out;
    }

    /** The catalog-qualified key, {@code catalog:code}. */
    public String key() {
        return catalog + ":" + code;
    }
}
