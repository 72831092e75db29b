package dev.vigil.signature;

/** What a contraindication that holds does to a decision. */
public enum Effect {
    /** The playbook is not offered at all: the decision is suppress, with the reason. */
    SUPPRESS,
    /** The decision is capped at approve: a human must agree. */
    REQUIRE_APPROVAL;

    static Effect parse(String text) {
        return "require-approval".equals(text) ? REQUIRE_APPROVAL : SUPPRESS;
    }

    public String wireName() {
        return this == SUPPRESS ? "suppress" : "require-approval";
    }
}
