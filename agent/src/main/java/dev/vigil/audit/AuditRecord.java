package dev.vigil.audit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One record of the audit journal as written; immutable by convention ({@code data} is a fresh tree that the
 * journal does not keep), so safe to share once handed out and not modified.
 *
 * @param seq  position in the chain, from 1
 * @param time when it was appended, ISO-8601 UTC with milliseconds ({@code 2024-05-01T12:00:00.000Z})
 * @param type what the record is about
 * @param data the content in canonical form: object keys sorted at every level
 * @param prev the {@code hash} of the record before it; 64 zeros for the first record
 * @param hash hex SHA-256 of the UTF-8 bytes of the canonical JSON of this record without the {@code hash} field
 */
public record AuditRecord(long seq, String time, String type, JsonNode data, String prev, String hash) {
}
