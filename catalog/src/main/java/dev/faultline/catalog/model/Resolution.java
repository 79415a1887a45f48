package dev.faultline.catalog.model;

import java.util.List;
import java.util.Objects;

/**
 * How a token claimed by several entries of one catalog resolves: to one owner, or to an explicit
 * ambiguity. The seeds share tokens (one E-code for two domain codes, one RPC number for a whole
 * class of codes); the catalog must say which way each goes and why.
 *
 * @param token     the shared token; an RPC number is written as its decimal string
 * @param claimants every entry code that carries the token
 * @param owner     the entry the bare token resolves to, or {@code null} when ambiguous
 * @param reason    why
 */
public record Resolution(String token, List<String> claimants, String owner, String reason) {
    public Resolution {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(reason, "reason");
        claimants = List.copyOf(claimants);
    }

    public boolean ambiguous() {
        return owner == null;
    }
}
