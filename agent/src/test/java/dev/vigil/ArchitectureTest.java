package dev.vigil;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The package dependency rule of the architecture: data flows one way, stages meet only in the wiring. */
class ArchitectureTest {
    private static final List<String> PACKAGES = List.of("fact", "content", "ingest", "condense", "engine", "signature",
            "decision", "approval", "playbook", "audit", "scenario", "fleet", "api", "daemon", "bench", "cli");

    /** What each package may import from Vigil, besides itself (and the confidence model where named). */
    private static final Map<String, List<String>> ALLOWED = Map.ofEntries(
            Map.entry("fact", List.of()),
            Map.entry("content", List.of()),
            Map.entry("ingest", List.of("fact")),
            Map.entry("condense", List.of("fact")),
            Map.entry("engine", List.of("fact", "content")),
            Map.entry("signature", List.of("fact", "content")),
            Map.entry("decision", List.of("fact", "signature", "confidence")),
            Map.entry("approval", List.of("fact", "decision")),
            Map.entry("playbook", List.of("fact", "decision", "content")),
            Map.entry("audit", List.of("fact")),
            Map.entry("scenario", List.of("fact")),
            Map.entry("fleet", List.of()),
            Map.entry("api", List.of("fact", "content", "ingest", "condense", "engine", "signature", "decision",
                    "confidence", "approval", "playbook", "audit", "scenario", "fleet")),
            Map.entry("daemon", List.of("fact", "content", "ingest", "condense", "engine", "signature", "decision",
                    "confidence", "approval", "playbook", "audit", "scenario", "fleet", "api")),
            Map.entry("bench", List.of("fact", "content", "ingest", "condense", "engine", "signature", "decision",
                    "confidence", "approval", "playbook", "audit", "scenario", "fleet", "api", "daemon")));

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.vigil");
    }

    static Stream<Arguments> packages() {
        return ALLOWED.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0} imports only {1}")
    @MethodSource("packages")
    @DisplayName("each stage imports only the packages the architecture allows")
    void stageImportsOnlyWhatTheArchitectureAllows(String pkg, List<String> allowed) {
        String[] forbidden = Stream.concat(PACKAGES.stream(), Stream.of("confidence"))
                .filter(p -> !p.equals(pkg) && !allowed.contains(p))
                .map(p -> "dev.vigil." + p + "..")
                .toArray(String[]::new);
        noClasses().that().resideInAPackage("dev.vigil." + pkg + "..")
                .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                .allowEmptyShould(true)
                .because("the architecture allows " + pkg + " to use only " + Arrays.toString(allowed.toArray()))
                .check(classes);
    }

    @org.junit.jupiter.api.Test
    @DisplayName("the confidence model depends on neither Vert.x nor Drools")
    void confidenceModelIsPureJava() {
        noClasses().that().resideInAPackage("dev.vigil.confidence..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "org.drools..", "org.kie..", "dev.vigil.fact..")
                .allowEmptyShould(true)
                .check(new ClassFileImporter().importPackages("dev.vigil.confidence"));
    }
}
