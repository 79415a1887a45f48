package dev.faultline.catalog.load;

/**
 * One validation problem, located as precisely as the input allows.
 *
 * @param file  the catalog file (or source name)
 * @param entry the entry's code or {@code #index}, or {@code null} for catalog-level problems
 * @param field the field, or {@code null}
 */
public record Problem(String file, String entry, String field, String message) {
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file);
        if (entry != null) {
            sb.append(": entry ").append(entry);
        }
        if (field != null) {
            sb.append(": ").append(field);
        }
        return sb.append(": ").append(message).toString();
    }
}
