package dev.vigil.content;

/**
 * One problem in a content file, located by file, line (1-based, 0 when unknown) and field path.
 * Prints as {@code signatures/disk-full.yaml:12: evidence.no-free-space.weight: must be a number}.
 */
public record ContentError(String file, int line, String field, String message) {
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (field != null && !field.isEmpty()) {
            sb.append(field).append(": ");
        }
        return sb.append(message).toString();
    }
}
