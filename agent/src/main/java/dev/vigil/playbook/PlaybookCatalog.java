package dev.vigil.playbook;

import dev.vigil.content.ContentException;
import dev.vigil.content.ContentSource;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The loaded playbooks by id, each validated against the schema and the cross-checks. Immutable, thread-safe. */
public final class PlaybookCatalog {
    private final TreeMap<String, Playbook> byId;

    private PlaybookCatalog(TreeMap<String, Playbook> byId) {
        this.byId = byId;
    }

    /**
     * Loads every {@code playbooks/*.yaml} of the source. Collects every error of every file (with file, line and
     * field) before it throws, so a governor sees the whole list at once.
     */
    public static PlaybookCatalog load(ContentSource source) throws ContentException {
        return of(PlaybookLoader.loadAll(source));
    }

    /** A catalog of playbooks already built; throws {@link IllegalArgumentException} on a duplicate id. */
    public static PlaybookCatalog of(List<Playbook> playbooks) {
        TreeMap<String, Playbook> m = new TreeMap<>();
        for (Playbook p : playbooks) {
            Playbook before = m.putIfAbsent(p.id(), p);
            if (before != null) {
                throw new IllegalArgumentException("duplicate playbook id " + p.id() + " (" + before.sourceFile()
                        + " and " + p.sourceFile() + ")");
            }
        }
        return new PlaybookCatalog(m);
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
