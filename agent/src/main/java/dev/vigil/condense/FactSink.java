package dev.vigil.condense;

/** Where condensed facts go (the engine, bound in the wiring). Called on the engine thread only. */
public interface FactSink {
    /** A new or changed condensed state fact. */
    void upsert(Object fact);

    /** A discrete event (deploy, alert) that expires on its own. */
    void insertEvent(Object event);

    /** A condensed state fact that is no longer kept. */
    void delete(Object fact);
}
