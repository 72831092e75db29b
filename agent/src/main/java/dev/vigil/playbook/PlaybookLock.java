package dev.vigil.playbook;

import dev.vigil.content.ContentError;
import dev.vigil.content.ContentFile;
import dev.vigil.content.ContentSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pins of {@code playbooks/playbooks.lock}: the SHA-256 of every playbook file and every script, by path from the
 * content root, in the form {@code sha256sum} prints (so {@code sha256sum -c} checks it too). Immutable.
 */
public record PlaybookLock(Map<String, String> sha256ByPath) {
    /** Where the lock lives, relative to the content root. */
    public static final String FILE = "playbooks/playbooks.lock";
    static final String SCRIPTS_FOLDER = "playbooks/scripts";
    private static final Pattern LINE = Pattern.compile("^([0-9a-f]{64}) [ *](playbooks/[A-Za-z0-9._/-]+)$");
    private static final String HEADER = """
            # SHA-256 of every playbook and script. Written by `vigil playbook pin` (a governor's act, audited);
            # at load, a file whose hash differs or that is not listed here is refused. Check by hand: sha256sum -c
            """;

    public PlaybookLock {
        sha256ByPath = Collections.unmodifiableMap(new TreeMap<>(sha256ByPath));
    }

    /** The pins read from the source's lock file; empty when there is none. Bad lines are added to {@code errors}. */
    public static PlaybookLock read(ContentSource source, List<ContentError> errors) {
        if (!source.exists(FILE)) {
            return new PlaybookLock(Map.of());
        }
        Map<String, String> pins = new TreeMap<>();
        String[] lines = source.read(FILE).text().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                errors.add(new ContentError(FILE, i + 1, "", "not a pin (64 lower-case hex digits, two spaces, a path "
                        + "under playbooks/): " + Quote.quote(line)));
            } else if (pins.putIfAbsent(m.group(2), m.group(1)) != null) {
                errors.add(new ContentError(FILE, i + 1, "", m.group(2) + " is pinned twice"));
            }
        }
        return new PlaybookLock(pins);
    }

    /** The pins of the files as they are now: every {@code playbooks/*.yaml} and every file of {@code playbooks/scripts/}. */
    public static PlaybookLock compute(ContentSource source) {
        Map<String, String> pins = new TreeMap<>();
        for (ContentFile f : pinnedFiles(source)) {
            pins.put(f.path(), f.sha256());
        }
        return new PlaybookLock(pins);
    }

    private static List<ContentFile> pinnedFiles(ContentSource source) {
        List<ContentFile> files = new ArrayList<>(source.files(PlaybookLoader.FOLDER, ".yaml"));
        files.addAll(source.files(SCRIPTS_FOLDER, ""));
        return files;
    }

    /**
     * One error per playbook or script that is not pinned or whose hash differs from its pin, each naming the file;
     * plus the lock's own malformed lines. Empty when everything matches.
     */
    static List<ContentError> problems(ContentSource source) {
        List<ContentError> errors = new ArrayList<>();
        PlaybookLock lock = read(source, errors);
        for (ContentFile f : pinnedFiles(source)) {
            String actual = f.sha256();
            Optional<String> pinned = lock.pin(f.path());
            if (pinned.isEmpty()) {
                errors.add(new ContentError(f.path(), 0, "", "is not pinned in " + FILE
                        + ": refused; review it, then run `vigil playbook pin`"));
            } else if (!pinned.get().equals(actual)) {
                errors.add(new ContentError(f.path(), 0, "", "SHA-256 " + shortHash(actual) + "… differs from its pin "
                        + shortHash(pinned.get()) + "… in " + FILE + ": refused; review the change, then run `vigil playbook pin`"));
            }
        }
        return errors;
    }

    public Optional<String> pin(String path) {
        return Optional.ofNullable(sha256ByPath.get(path));
    }

    /** The lock file's text: a header, then one {@code HASH  PATH} line per file, sorted by path. */
    public String render() {
        StringBuilder sb = new StringBuilder(HEADER);
        sha256ByPath.forEach((path, hash) -> sb.append(hash).append("  ").append(path).append('\n'));
        return sb.toString();
    }

    /** What pinning {@code next} over this lock changes: path to "added", "changed" or "removed". */
    public Map<String, String> changesTo(PlaybookLock next) {
        Map<String, String> out = new TreeMap<>();
        next.sha256ByPath.forEach((path, hash) -> {
            String before = sha256ByPath.get(path);
            if (before == null) {
                out.put(path, "added");
            } else if (!before.equals(hash)) {
                out.put(path, "changed");
            }
        });
        sha256ByPath.keySet().stream().filter(p -> !next.sha256ByPath.containsKey(p)).forEach(p -> out.put(p, "removed"));
        return out;
    }

    private static String shortHash(String hash) {
        return hash.substring(0, Math.min(12, hash.length()));
    }
}
