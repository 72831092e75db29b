package dev.vigil.signature;

/**
 * What the linter needs to know of one rule: where it is and which signature, evidence key or contraindication its
 * metadata names. {@code generic} marks the few rules that serve every signature (grouping evidence into diagnoses).
 */
public record RuleRef(String name, String file, int line, String signature, String evidence, String contraindication,
                      boolean generic) {
}
