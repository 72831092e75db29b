package dev.vigil.signature;

import java.util.List;

/**
 * A condition under which a signature's playbooks must not run (or must be approved). Immutable.
 *
 * @param playbooks the playbooks it applies to; empty means all of the signature's playbooks
 */
public record ContraindicationSpec(String id, Effect effect, List<String> playbooks, String description, int line) {
    public ContraindicationSpec {
        playbooks = List.copyOf(playbooks);
    }

    public boolean appliesTo(String playbook) {
        return playbooks.isEmpty() || playbooks.contains(playbook);
    }
}
