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
}
