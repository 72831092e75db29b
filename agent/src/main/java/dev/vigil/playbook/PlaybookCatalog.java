package dev.vigil.playbook;

import dev.vigil.content.ContentError;
import dev.vigil.content.ContentException;
import dev.vigil.content.ContentSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The loaded playbooks by id, each validated against the schema and the cross-checks, with how they stand against
 * {@code playbooks/playbooks.lock}. Immutable, thread-safe.
 */
public final class PlaybookCatalog {
    /** Whether a playbook or script that does not match its pin stops the load, or is only reported. */
    public enum Pins {
        /** Refused: the load fails naming every such file (the daemon; nothing unpinned can ever run). */
        REQUIRED,
        /** Loaded, with the problems in {@link #pinProblems()} (replay: nothing runs, a governor tries a change). */
        REPORTED
    }

    private final TreeMap<String, Playbook> byId;
    private final List<ContentError> pinProblems;
    private final PlaybookLock lock;

    private PlaybookCatalog(TreeMap<String, Playbook> byId, List<ContentError> pinProblems, PlaybookLock lock) {
        this.byId = byId;
        this.pinProblems = List.copyOf(pinProblems);
        this.lock = lock;
    }

    /** {@link #load(ContentSource, Pins)} with every file required to match its pin. */
    public static PlaybookCatalog load(ContentSource source) throws ContentException {
        return load(source, Pins.REQUIRED);
    }

    /**
     * Loads every {@code playbooks/*.yaml} of the source and checks every playbook and script against the lock.
     * Collects every error of every file (with file, line and field) before it throws, so a governor sees the whole
     * list at once.
     */
    public static PlaybookCatalog load(ContentSource source, Pins pins) throws ContentException {
        List<ContentError> errors = new ArrayList<>();
        List<Playbook> loaded = List.of();
        try {
            loaded = PlaybookLoader.loadAll(source);
        } catch (ContentException e) {
            errors.addAll(e.errors());
        }
        List<ContentError> pinProblems = PlaybookLock.problems(source);
        if (pins == Pins.REQUIRED) {
            errors.addAll(pinProblems);
        }
        if (!errors.isEmpty()) {
            throw new ContentException(errors);
        }
        return new PlaybookCatalog(index(loaded), pinProblems, PlaybookLock.read(source, new ArrayList<>()));
    }

    /** A catalog of playbooks already built, taken as pinned; throws {@link IllegalArgumentException} on a duplicate id. */
    public static PlaybookCatalog of(List<Playbook> playbooks) {
        return new PlaybookCatalog(index(playbooks), List.of(), new PlaybookLock(java.util.Map.of()));
    }

    private static TreeMap<String, Playbook> index(List<Playbook> playbooks) {
        TreeMap<String, Playbook> m = new TreeMap<>();
        for (Playbook p : playbooks) {
            Playbook before = m.putIfAbsent(p.id(), p);
            if (before != null) {
                throw new IllegalArgumentException("duplicate playbook id " + p.id() + " (" + before.sourceFile()
                        + " and " + p.sourceFile() + ")");
            }
        }
        return m;
    }

    /** Every playbook or script that does not match its pin (always empty for a catalog loaded with pins required). */
    public List<ContentError> pinProblems() {
        return pinProblems;
    }

    /** True when every playbook and script matches its pin: only then may anything of this catalog run. */
    public boolean pinned() {
        return pinProblems.isEmpty();
    }

    /** The pins the catalog was checked against. */
    public PlaybookLock lock() {
        return lock;
    }

    public Optional<Playbook> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Every playbook, in id order. */
    public Collection<Playbook> all() {
        return Collections.unmodifiableCollection(byId.values());
    }

    /** Every id, sorted. */
    public Set<String> ids() {
        return Collections.unmodifiableSet(byId.keySet());
    }

    @Override
    public String toString() {
        return "PlaybookCatalog" + byId.keySet();
    }
}
