package dev.vigil.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Test helpers that read and forge journal lines with their own, independent code: the hash is recomputed here
 * from the spec (SHA-256 of the line without its hash field), not with the production classes.
 */
final class AuditFiles {
    private static final String HASH_FIELD = ",\"hash\":\"";

    private AuditFiles() {
    }

    /** The file's lines split on '\n' only; a last line without a break is kept. */
    static List<String> rawLines(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    /** Writes the lines, each followed by '\n'. */
    static void write(Path file, List<String> lines) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append('\n');
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** The line without its hash field: what the hash covers. */
    static String body(String line) {
        int at = line.lastIndexOf(HASH_FIELD);
        return line.substring(0, at) + "}";
    }

    static String hashOf(String line) {
        int at = line.lastIndexOf(HASH_FIELD) + HASH_FIELD.length();
        return line.substring(at, at + 64);
    }

    /** The line with its hash recomputed from its (possibly edited) content: a forger's self-consistent record. */
    static String rehash(String line) {
        String body = body(line);
        return body.substring(0, body.length() - 1) + HASH_FIELD + sha256(body) + "\"}";
    }

    static String withPrev(String line, String prev) {
        return line.replaceFirst("\"prev\":\"[0-9a-f]{64}\"", "\"prev\":\"" + prev + "\"");
    }

    static String withSeq(String line, long seq) {
        return line.replaceFirst("^\\{\"seq\":\\d+,", "{\"seq\":" + seq + ",");
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
