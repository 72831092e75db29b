package dev.vigil.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of one journal and how they are read line by line; stateless and thread-safe.
 *
 * <p>A journal named {@code audit.jsonl} is the active file {@code audit.jsonl} plus the files rotated out of it,
 * {@code audit.jsonl.1}, {@code audit.jsonl.2}, … numbered in the order they were written (1 the oldest). Read in
 * that order, sealed files first and the active file last, they hold one chain.
 */
final class JournalFiles {
    private JournalFiles() {
    }

    /** One line of a journal file: its bytes without the line break, and where it is. */
    record Line(Path file, long number, byte[] bytes, boolean terminated, boolean lastInFile) {
    }

    /** What reads lines; returns false to stop. */
    interface LineVisitor {
        boolean visit(Line line) throws IOException;
    }

    /** The sealed files of the journal whose active file is {@code active}, oldest first. */
    static List<Path> sealed(Path active) throws IOException {
        Path dir = directoryOf(active);
        Pattern name = Pattern.compile(Pattern.quote(active.getFileName().toString()) + "\\.([1-9][0-9]{0,17})");
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (name.matcher(entry.getFileName().toString()).matches() && Files.isRegularFile(entry)) {
                    found.add(entry);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        found.sort(Comparator.comparingLong(p -> number(p, name)));
        return found;
    }

    /** Every file of the journal in chain order: the sealed ones, then the active one if it exists. */
    static List<Path> all(Path active) throws IOException {
        List<Path> files = new ArrayList<>(sealed(active));
        if (Files.exists(active)) {
            files.add(active);
        }
        return files;
    }

    /** The name the active file gets when it is sealed: one past the highest sealed number. */
    static Path nextSealed(Path active) throws IOException {
        List<Path> sealed = sealed(active);
        long next = 1;
        if (!sealed.isEmpty()) {
            String last = sealed.get(sealed.size() - 1).getFileName().toString();
            next = Long.parseLong(last.substring(last.lastIndexOf('.') + 1)) + 1;
        }
        return active.resolveSibling(active.getFileName() + "." + next);
    }

    /** Reads the files' lines in order; a last line without a line break is delivered with {@code terminated} false. */
    static boolean forEachLine(List<Path> files, LineVisitor visitor) throws IOException {
        for (Path file : files) {
            if (!forEachLine(file, visitor)) {
                return false;
            }
        }
        return true;
    }

    static boolean forEachLine(Path file, LineVisitor visitor) throws IOException {
        long length = Files.size(file); // read no further: a device such as /dev/full reads as endless zeros
        try (InputStream in = Files.newInputStream(file)) {
            byte[] chunk = new byte[1 << 16];
            ByteArrayOutputStream current = new ByteArrayOutputStream();
            byte[] pending = null; // a complete line held back until we know whether it is the file's last
            long number = 0;
            long read = 0;
            for (int n; read < length && (n = in.read(chunk, 0, (int) Math.min(chunk.length, length - read))) > 0; ) {
                read += n;
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (chunk[i] == '\n') {
                        current.write(chunk, start, i - start);
                        start = i + 1;
                        if (pending != null && !visitor.visit(new Line(file, ++number, pending, true, false))) {
                            return false;
                        }
                        pending = current.toByteArray();
                        current.reset();
                    }
                }
                current.write(chunk, start, n - start);
            }
            if (current.size() > 0) {
                if (pending != null && !visitor.visit(new Line(file, ++number, pending, true, false))) {
                    return false;
                }
                return visitor.visit(new Line(file, ++number, current.toByteArray(), false, true));
            }
            return pending == null || visitor.visit(new Line(file, ++number, pending, true, true));
        }
    }

    /** The line's bytes with its line break: what a torn line that has one is hashed as. */
    static byte[] withBreak(byte[] bytes) {
        byte[] out = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        out[bytes.length] = '\n';
        return out;
    }

    static Path directoryOf(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }

    private static long number(Path p, Pattern name) {
        Matcher m = name.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
    }
}
