package dev.vigil.daemon;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which content files a reload added, changed and removed, with their SHA-256 (old and new for a change): what the
 * journal records so a governor can tell exactly what went live. Immutable.
 */
public record ContentDiff(Map<String, String> added, Map<String, List<String>> changed, Map<String, String> removed) {
    public ContentDiff {
        added = Map.copyOf(added);
        changed = Map.copyOf(changed);
        removed = Map.copyOf(removed);
    }

    /** The difference from {@code before} to {@code after}, both file path to SHA-256. */
    public static ContentDiff between(Map<String, String> before, Map<String, String> after) {
        Map<String, String> added = new TreeMap<>();
        Map<String, List<String>> changed = new TreeMap<>();
        Map<String, String> removed = new TreeMap<>();
        after.forEach((path, sha) -> {
            String old = before.get(path);
            if (old == null) {
                added.put(path, sha);
            } else if (!old.equals(sha)) {
                changed.put(path, List.of(old, sha));
            }
        });
        before.forEach((path, sha) -> {
            if (!after.containsKey(path)) {
                removed.put(path, sha);
            }
        });
        return new ContentDiff(added, changed, removed);
    }

    public boolean isEmpty() {
        return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
    }

    /** The journal's form, paths sorted: {@code added: {path: sha}, changed: {path: [old, new]}, removed: {path: sha}}. */
    Map<String, Object> toRecord() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("added", new TreeMap<>(added));
        m.put("changed", new TreeMap<>(changed));
        m.put("removed", new TreeMap<>(removed));
        return m;
    }

    /** {@code 1 added, 2 changed, 0 removed}. */
    @Override
    public String toString() {
        return added.size() + " added, " + changed.size() + " changed, " + removed.size() + " removed";
    }
}
