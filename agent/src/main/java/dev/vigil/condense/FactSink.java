package dev.vigil.condense;

/** Where condensed facts go (the engine, bound in the wiring). Called on the engine thread only. */
public interface FactSink {
    /** A new or changed condensed state fact. */
    void upsert(Object fact);

    /** A discrete event (deploy, alert) that expires on its own. */
    void insertEvent(Object event);

    /** An immutable derived fact ({@code Forecast}) replaced by its newer version. */
    default void replace(Object previous, Object next) {
        delete(previous);
        upsert(next);
    }

    /** A condensed state fact that is no longer kept. */
    void delete(Object fact);
}
