package dev.vigil.engine;

import dev.vigil.fact.Contraindication;
import dev.vigil.fact.Diagnosis;
import dev.vigil.fact.Evidence;
import dev.vigil.fact.Now;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.kie.api.KieServices;
import org.kie.api.event.rule.ObjectDeletedEvent;
import org.kie.api.event.rule.ObjectInsertedEvent;
import org.kie.api.event.rule.ObjectUpdatedEvent;
import org.kie.api.event.rule.RuleRuntimeEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionConfiguration;
import org.kie.api.runtime.conf.ClockTypeOption;
import org.kie.api.runtime.rule.FactHandle;
import org.kie.api.time.SessionPseudoClock;

/**
 * The one KieSession, in stream mode, and the facts in it. Not thread-safe: one engine thread owns it (Drools
 * sessions are not thread-safe); other threads hand it work through a queue.
 *
 * <p>The session clock is a pseudo clock in replay and tests, advanced by {@link #advanceTo}; in the daemon it is
 * the real clock. Either way the {@link Now} fact follows {@link #advanceTo}, so window rules see the same time.
 */
public final class Engine implements AutoCloseable {
    /** Which clock the session runs on. */
    public enum ClockKind { PSEUDO, REALTIME }

    private final KieSession session;
    private final SessionPseudoClock pseudoClock;
    private final Set<Evidence> evidence = new LinkedHashSet<>();
    private final Set<Contraindication> contraindications = new LinkedHashSet<>();
    private final Set<Diagnosis> diagnoses = new LinkedHashSet<>();
    private final RuleBase ruleBase;
    private final ClockKind clockKind;
    private FactHandle nowHandle;
    private long now;
    private long firings;

    public Engine(RuleBase ruleBase, ClockKind clock, long startMillis) {
        this.ruleBase = ruleBase;
        this.clockKind = clock;
        KieSessionConfiguration conf = KieServices.get().newKieSessionConfiguration();
        conf.setOption(ClockTypeOption.get(clock == ClockKind.PSEUDO ? "pseudo" : "realtime"));
        this.session = ruleBase.kieBase().newKieSession(conf, null);
        this.pseudoClock = clock == ClockKind.PSEUDO ? session.getSessionClock() : null;
        if (pseudoClock != null) {
            pseudoClock.advanceTime(startMillis - pseudoClock.getCurrentTime(), TimeUnit.MILLISECONDS);
        }
        this.now = startMillis;
        this.nowHandle = session.insert(new Now(startMillis));
        session.addEventListener(new Conclusions());
    }

    public RuleBase ruleBase() {
        return ruleBase;
    }

    /** Moves the engine clock forward (never back) and updates the {@link Now} fact. */
    public void advanceTo(long millis) {
        if (millis <= now) {
            return;
        }
        if (pseudoClock != null) {
            pseudoClock.advanceTime(millis - now, TimeUnit.MILLISECONDS);
        }
        now = millis;
        session.update(nowHandle, new Now(millis));
    }

    public long now() {
        return now;
    }

    /**
     * Inserts a fact, or updates it when this very object is already in the session.
     *
     * <p>The handle is the session's own (its object store maps each object to its handle by identity): a map of
     * ours would hold a second entry per fact, ~20 bytes of every kept series.
     */
    public void upsert(Object fact) {
        FactHandle h = session.getFactHandle(fact);
        if (h == null) {
            session.insert(fact);
        } else {
            session.update(h, fact);
        }
    }

    /**
     * Puts {@code next} in the place of {@code previous} (an immutable derived fact and its newer version) with one
     * update of the same fact handle; inserts {@code next} when {@code previous} is unknown.
     */
    public void replace(Object previous, Object next) {
        FactHandle h = session.getFactHandle(previous);
        if (h == null) {
            session.insert(next);
        } else {
            session.update(h, next);
        }
    }

    /** Inserts a discrete event (deploy, alert); the session expires it by itself. */
    public void insertEvent(Object event) {
        session.insert(event);
    }

    /** Removes a fact previously inserted with {@link #upsert}; unknown objects are ignored. */
    public void delete(Object fact) {
        FactHandle h = session.getFactHandle(fact);
        if (h != null) {
            session.delete(h);
        }
    }

    /**
     * A new session on {@code next} at this engine's time, holding every fact stated in this one: the condensed state
     * facts (still updated in place through {@link #upsert}) and the discrete events (with their own timestamps, so
     * they expire when they would have). Rule conclusions ({@link Evidence}, {@link Contraindication},
     * {@link Diagnosis}, all inserted logically) are not copied: the new rules derive them again on the next fire.
     * This engine is left as it was; the caller closes it once the new one is in use.
     */
    public Engine carryOver(RuleBase next) {
        Engine fresh = new Engine(next, clockKind, now);
        for (Object fact : session.getObjects()) {
            if (fact instanceof Now || fact instanceof Evidence || fact instanceof Contraindication
                    || fact instanceof Diagnosis) {
                continue;
            }
            fresh.session.insert(fact); // a state fact or an event: either is inserted once, then upserted or left
        }
        return fresh;
    }

    /** Fires rules until quiescence; returns how many fired. */
    public int fire() {
        int n = session.fireAllRules();
        firings += n;
        return n;
    }

    /** What the rules concluded as of the last {@link #fire()}. */
    public EngineState state() {
        return new EngineState(now, evidence.stream().toList(), contraindications.stream().toList(),
                diagnoses.stream().toList());
    }

    /** The facts of one type in working memory (a scan: for tests and the API, never per cycle). */
    public <T> List<T> facts(Class<T> type) {
        return session.getObjects(type::isInstance).stream().map(type::cast).toList();
    }

    public long factCount() {
        return session.getFactCount();
    }

    public long firings() {
        return firings;
    }

    @Override
    public void close() {
        session.dispose();
    }

    /** Keeps the rule conclusions in step with working memory, so reading them never scans the session. */
    private final class Conclusions implements RuleRuntimeEventListener {
        @Override
        public void objectInserted(ObjectInsertedEvent event) {
            track(event.getObject(), true);
        }

        @Override
        public void objectUpdated(ObjectUpdatedEvent event) {
            if (event.getOldObject() != event.getObject()) {
                track(event.getOldObject(), false);
                track(event.getObject(), true);
            }
        }

        @Override
        public void objectDeleted(ObjectDeletedEvent event) {
            track(event.getOldObject(), false);
        }

        private void track(Object o, boolean present) {
            if (o instanceof Evidence e) {
                apply(evidence, e, present);
            } else if (o instanceof Contraindication c) {
                apply(contraindications, c, present);
            } else if (o instanceof Diagnosis d) {
                apply(diagnoses, d, present);
            }
        }

        private <T> void apply(Set<T> set, T item, boolean present) {
            if (present) {
                set.add(item);
            } else {
                set.remove(item);
            }
        }
    }
}
