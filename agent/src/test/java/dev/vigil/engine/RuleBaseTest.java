package dev.vigil.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.content.ContentException;
import dev.vigil.content.ContentFile;
import dev.vigil.content.ContentSource;
import dev.vigil.fact.Evidence;
import dev.vigil.fact.Labels;
import dev.vigil.fact.SeriesState;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleBaseTest {
    private static final String RULE = """
            package t;
            import dev.vigil.fact.*;

            rule "pool saturated"
                @signature("pool") @evidence("saturated")
            when
                $s : SeriesState( name == "hikaricp_connections_active", atLeastFor( 10, 60 ) )
            then
                insertLogical( Evidence.of( "pool", "saturated", $s.target(), "saturated", $s.time() ) );
            end
            """;

    @Test
    void compileErrorsOfEveryFileAreReportedWithFileAndLine() {
        ContentException e = assertThrows(ContentException.class, () -> RuleBase.compile(List.of(
                new ContentFile("rules/good.drl", RULE),
                new ContentFile("rules/bad.drl", "package t;\nrule \"x\"\nwhen\n  NoSuchType( )\nthen\nend\n"),
                new ContentFile("rules/worse.drl", "package t;\nrule \"y\" when then end end\n"))));
        assertTrue(e.errors().stream().anyMatch(err -> err.file().equals("rules/bad.drl") && err.line() == 4), e.getMessage());
        assertTrue(e.errors().stream().anyMatch(err -> err.file().equals("rules/worse.drl")), e.getMessage());
        assertTrue(e.errors().stream().noneMatch(err -> err.file().equals("rules/good.drl")), e.getMessage());
    }

    @Test
    void theMetricNamesRulesReferToAreKnownToCondense() throws ContentException {
        RuleBase rb = RuleBase.compile(List.of(new ContentFile("rules/good.drl", RULE)));
        assertEquals(java.util.Set.of("hikaricp_connections_active"), rb.metricNames());
        assertEquals("pool", rb.rules().stream().filter(r -> r.file().equals("rules/good.drl")).findFirst().orElseThrow().meta("signature"));
        assertEquals(4, rb.rules().stream().filter(r -> r.file().equals("rules/good.drl")).findFirst().orElseThrow().line());
    }

    @Test
    void theMetricNamesRulesForecastGetDetectorsAndAreKeptToo() throws ContentException {
        RuleBase rb = RuleBase.compile(List.of(new ContentFile("rules/f.drl", """
                package t;
                import dev.vigil.fact.*;

                rule "fills"
                    @signature("disk") @evidence("fill")
                when
                    $f : Forecast( name == "node_filesystem_avail_bytes", secondsUntil( 0 ) < 3600 )
                    $r : java.util.List() from collect( Forecast( name in ( "http_requests_total", "rpc_total" ), anomalous ) )
                    $s : SeriesState( name == "node_filesystem_size_bytes" )
                then
                    insertLogical( Evidence.of( "disk", "fill", $f.target(), "fills", $f.time() ) );
                end
                """)));
        assertEquals(java.util.Set.of("node_filesystem_avail_bytes", "http_requests_total", "rpc_total"), rb.forecastMetricNames());
        assertTrue(rb.metricNames().containsAll(rb.forecastMetricNames()), "a forecast series' samples are kept");
        assertTrue(rb.metricNames().contains("node_filesystem_size_bytes"));
    }

    @Test
    void onAPseudoClockEvidenceHoldsOnlyOnceTheConditionHeldLongEnough() throws ContentException {
        RuleBase rb = RuleBase.compile(List.of(new ContentFile("rules/good.drl", RULE)));
        try (Engine engine = new Engine(rb, Engine.ClockKind.PSEUDO, 0)) {
            SeriesState s = new SeriesState("hikaricp_connections_active", Labels.of("service", "a"), "a", "h", false, 3_600_000, 64);
            for (int i = 0; i <= 4; i++) {
                s.add(i * 15_000L, 10);
                engine.advanceTo(i * 15_000L);
                engine.upsert(s);
                engine.fire();
                List<Evidence> ev = engine.state().evidence();
                assertEquals(i == 4 ? 1 : 0, ev.size(), "at " + (i * 15) + "s");
            }
            s.add(75_000, 3);
            engine.advanceTo(75_000);
            engine.upsert(s);
            engine.fire();
            assertTrue(engine.state().evidence().isEmpty(), "evidence is withdrawn when the condition stops holding");
        }
    }

    @Test
    void theBuiltInContentIsPackagedAndCompiles() throws ContentException {
        ContentSource builtIn = ContentSource.builtIn();
        RuleBase rb = RuleBase.compile(builtIn.files("rules", ".drl"));
        assertTrue(rb.rules().size() > 20, "rules: " + rb.rules().size());
        assertTrue(rb.metricNames().contains("hikaricp_connections_active"));
    }

    @Test
    void aRecompileCompilesOnlyThePackagesWhoseFilesChangedAndKeepsTheOthersWorking() throws ContentException {
        String other = RULE.replace("package t;", "package u;").replace("pool saturated", "queue saturated")
                .replace("hikaricp_connections_active", "queue_depth");
        RuleBase first = RuleBase.compile(List.of(new ContentFile("rules/pool.drl", RULE), new ContentFile("rules/queue.drl", other)));
        assertEquals(2, first.packagesCompiled());

        String changed = other.replace("queue_depth", "queue_size");
        RuleBase second = RuleBase.compile(List.of(new ContentFile("rules/pool.drl", RULE), new ContentFile("rules/queue.drl", changed)), first);
        assertEquals(1, second.packagesCompiled());
        assertEquals(1, second.packagesReused());
        assertEquals(java.util.Set.of("hikaricp_connections_active", "queue_size"), second.metricNames());
        assertEquals(4, second.rules().stream().filter(r -> r.file().equals("rules/pool.drl")).findFirst().orElseThrow().line());
        // the copied package fires in the new rule base as in the old one, and the recompiled one with its new text
        for (RuleBase rb : List.of(first, second)) {
            try (Engine engine = new Engine(rb, Engine.ClockKind.PSEUDO, 0)) {
                SeriesState pool = new SeriesState("hikaricp_connections_active", Labels.of("service", "a"), "a", "h", false, 3_600_000, 64);
                SeriesState queue = new SeriesState("queue_size", Labels.of("service", "b"), "b", "h", false, 3_600_000, 64);
                for (int i = 0; i <= 4; i++) {
                    pool.add(i * 15_000L, 10);
                    queue.add(i * 15_000L, 10);
                    engine.advanceTo(i * 15_000L);
                    engine.upsert(pool);
                    engine.upsert(queue);
                    engine.fire();
                }
                assertEquals(rb == first ? 1 : 2, engine.state().evidence().size(), engine.state().evidence().toString());
            }
        }
        assertEquals(0, first.packagesReused());
        RuleBase third = RuleBase.compile(List.of(new ContentFile("rules/pool.drl", RULE), new ContentFile("rules/queue.drl", changed)), second);
        assertEquals(0, third.packagesCompiled(), "nothing changed, nothing compiled");
    }

    @Test
    void aCompileErrorInAChangedFileIsReportedWithFileAndLineWhenOtherPackagesAreReused() throws ContentException {
        RuleBase first = RuleBase.compile(List.of(new ContentFile("rules/good.drl", RULE)));
        ContentException e = assertThrows(ContentException.class, () -> RuleBase.compile(List.of(
                new ContentFile("rules/good.drl", RULE),
                new ContentFile("rules/bad.drl", "package v;\nrule \"x\"\nwhen\n  NoSuchType( )\nthen\nend\n")), first));
        assertTrue(e.errors().stream().anyMatch(err -> err.file().equals("rules/bad.drl") && err.line() == 4), e.getMessage());
        assertTrue(e.errors().stream().noneMatch(err -> err.file().equals("rules/good.drl")), e.getMessage());
    }

    @Test
    void filesOfOnePackageAreCompiledTogetherSoTheyShareFunctions() throws ContentException {
        String function = "package t;\nfunction boolean busy( double v ) { return v > 5; }\n";
        String rule = RULE.replace("atLeastFor( 10, 60 )", "busy( value() )");
        RuleBase rb = RuleBase.compile(List.of(new ContentFile("rules/functions.drl", function), new ContentFile("rules/pool.drl", rule)));
        assertEquals(1, rb.packagesCompiled());
    }

    @Test
    void aFileWithoutAPackageLineIsCompiledAndReused() throws ContentException {
        ContentFile noPackage = new ContentFile("rules/nopackage.drl", RULE.replace("package t;", ""));
        RuleBase first = RuleBase.compile(List.of(noPackage));
        assertTrue(first.rules().stream().anyMatch(r -> r.file().equals("rules/nopackage.drl")), first.rules().toString());
        RuleBase second = RuleBase.compile(List.of(noPackage, new ContentFile("rules/good.drl", RULE)), first);
        assertEquals(1, second.packagesReused());
        assertEquals(2, second.rules().stream().filter(r -> r.name().equals("pool saturated")).count());
    }
}
