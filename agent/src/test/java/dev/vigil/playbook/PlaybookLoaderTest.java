package dev.vigil.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.content.ContentException;
import dev.vigil.decision.Risk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading playbook files: every error names file, line and field, and all of them are reported at once. */
class PlaybookLoaderTest {
    @TempDir
    Path dir;
    TestContent content;

    @BeforeEach
    void setUp() {
        content = new TestContent(dir);
    }

    @Test
    @DisplayName("the base test playbook is valid and loads into records")
    void basePlaybookLoads() throws ContentException {
        Playbook p = content.file("broken.yaml", TestContent.BASE).playbook("broken");
        assertEquals(Risk.LOW, p.risk());
        assertEquals(List.of("host", "mountpoint"), List.copyOf(p.parameters().keySet()));
        assertEquals(ParameterType.PATH, p.parameters().get("mountpoint").type());
        assertEquals(List.of("/var/log"), p.parameters().get("mountpoint").roots());
        Step step = p.steps().get(0);
        assertEquals(Duration.ofSeconds(10), step.timeout());
        assertEquals(new StepAction.Exec("rotate-logs", List.of("--root", "{{mountpoint}}"), java.util.Optional.empty()),
                step.action());
        assertEquals(Duration.ofMinutes(5), p.verification().within());
        assertEquals(Duration.ofMinutes(30), p.limits().cooldown());
        assertEquals(java.util.OptionalInt.of(1), p.limits().blastRadius().maxInstances());
        assertEquals("playbooks/broken.yaml", p.sourceFile());
        assertEquals(64, p.sha256().length());
    }

    @Test
    void missingSteps_isRequiredAtTheTop() {
        String text = TestContent.BASE.substring(0, TestContent.BASE.indexOf("steps:"))
                + TestContent.BASE.substring(TestContent.BASE.indexOf("verification:"));
        assertEquals(List.of("playbooks/broken.yaml:1: steps: is required"),
                content.file("broken.yaml", text).errors());
    }

    @Test
    void emptySteps_needAtLeastOne() {
        String text = TestContent.BASE.substring(0, TestContent.BASE.indexOf("steps:")) + "steps: []\n"
                + TestContent.BASE.substring(TestContent.BASE.indexOf("verification:"));
        assertEquals(List.of("playbooks/broken.yaml:8: steps: must have at least 1 items but found 0"),
                content.file("broken.yaml", text).errors());
    }

    @Test
    void unknownExecutor_namesTheAllowedOnes() {
        assertEquals(List.of("playbooks/broken.yaml:10: steps[0].executor: must be one of exec, http, sql, kubernetes, "
                        + "notify, was \"shell\""),
                content.file("broken.yaml", TestContent.base("executor: exec", "executor: shell")).errors());
    }

    @Test
    void badRisk_namesTheAllowedOnes() {
        assertEquals(List.of("playbooks/broken.yaml:4: risk: must be one of none, low, medium, high, was \"severe\""),
                content.file("broken.yaml", TestContent.base("risk: low", "risk: severe")).errors());
    }

    @Test
    void unknownTemplateParameter_isAnErrorWithItsLine() {
        assertEquals(List.of("playbooks/broken.yaml:13: steps[0].args[1]: unknown parameter {{mountpiont}} "
                        + "(declared: host, mountpoint)"),
                content.file("broken.yaml", TestContent.base("\"{{mountpoint}}\"]", "\"{{mountpiont}}\"]")).errors());
    }

    @Test
    void unknownTemplateParameterInVerification_isAnErrorToo() {
        assertEquals(List.of("playbooks/broken.yaml:18: verification.all[0].match.host: unknown parameter {{hots}} "
                        + "(declared: host, mountpoint)"),
                content.file("broken.yaml", TestContent.base("{host: \"{{host}}\"", "{host: \"{{hots}}\"")).errors());
    }

    @Test
    void missingScript_isAnErrorAtLoad() {
        assertEquals(List.of("playbooks/broken.yaml:12: steps[0].script: no such script playbooks/scripts/rotate-logz"),
                content.file("broken.yaml", TestContent.base("script: rotate-logs", "script: rotate-logz")).errors());
    }

    @Test
    void idThatIsNotTheFileName_isAnError() {
        assertEquals(List.of("playbooks/broken.yaml:1: id: must be the file name without .yaml (\"broken\"), "
                        + "was \"rotate-logs\""),
                content.file("broken.yaml", TestContent.base("id: broken", "id: rotate-logs")).errors());
    }

    @Test
    void argumentThatGluesATemplateToText_isRefused() {
        assertEquals(List.of("playbooks/broken.yaml:13: steps[0].args[1]: an argument with a template must be exactly "
                        + "one {{parameter}}, so a value is always one whole argument"),
                content.file("broken.yaml", TestContent.base("\"{{mountpoint}}\"]", "\"{{mountpoint}}/*\"]")).errors());
    }

    @Test
    void unknownField_isNotAllowed() {
        assertEquals(List.of("playbooks/broken.yaml:12: steps[0].shell: is not allowed here"),
                content.file("broken.yaml", TestContent.base("script: rotate-logs", "shell: true\n    script: rotate-logs"))
                        .errors());
    }

    @Test
    void fieldOfAnotherExecutor_isNotAllowed() {
        assertEquals(List.of("playbooks/broken.yaml:12: steps[0].url: is not allowed here"),
                content.file("broken.yaml", TestContent.base("script: rotate-logs",
                        "url: http://example.com/\n    script: rotate-logs")).errors());
    }

    @Test
    void badDuration_saysWhatADurationLooksLike() {
        assertEquals(List.of("playbooks/broken.yaml:11: steps[0].timeout: must be a duration like 90s, 5m, 1h or 7d, "
                        + "was \"10 seconds\""),
                content.file("broken.yaml", TestContent.base("timeout: 10s", "timeout: 10 seconds")).errors());
    }

    @Test
    void stringParameterWithoutPattern_isRefused() {
        assertEquals(List.of("playbooks/broken.yaml:6: parameters.host.pattern: is required"),
                content.file("broken.yaml", TestContent.base("host: {type: hostname,", "host: {type: string,")).errors());
    }

    @Test
    void defaultThatBreaksItsOwnSpec_isRefused() {
        assertEquals(List.of("playbooks/broken.yaml:7: parameters.mountpoint.default: \"/etc\" is not under one of "
                        + "[/var/log]"),
                content.file("broken.yaml", TestContent.base("from: target.mountpoint}",
                        "from: target.mountpoint, default: /etc}")).errors());
    }

    @Test
    void templateInADefault_isRefused() {
        assertEquals(List.of("playbooks/broken.yaml:7: parameters.mountpoint.default: a default may not contain a "
                        + "template"),
                content.file("broken.yaml", TestContent.base("from: target.mountpoint}",
                        "from: target.mountpoint, default: \"/var/log/{{host}}\"}")).errors());
    }

    @Test
    void templateInASqlStatement_isRefused() {
        String sql = TestContent.base("""
                  - name: compress
                    executor: exec
                    timeout: 10s
                    script: rotate-logs
                    args: ["--root", "{{mountpoint}}"]
                """, """
                  - name: query
                    executor: sql
                    timeout: 10s
                    connection: db
                    statement: "DELETE FROM logs WHERE host = '{{host}}'"
                """);
        assertEquals(List.of("playbooks/broken.yaml:13: steps[0].statement: may not contain {{…}}: pass values as "
                        + "bind parameters (:name)"),
                content.file("broken.yaml", sql).errors());
    }

    @Test
    void sqlPlaceholdersAndBindMustAgree() {
        String sql = TestContent.base("""
                  - name: compress
                    executor: exec
                    timeout: 10s
                    script: rotate-logs
                    args: ["--root", "{{mountpoint}}"]
                """, """
                  - name: query
                    executor: sql
                    timeout: 10s
                    connection: db
                    statement: "SELECT 1 FROM logs WHERE host = :host AND path = :path; DROP TABLE logs"
                    bind: [host, mountpoint]
                """);
        assertEquals(List.of(
                        "playbooks/broken.yaml:13: steps[0].statement: holds more than one statement",
                        "playbooks/broken.yaml:13: steps[0].statement: placeholder :path is not in bind",
                        "playbooks/broken.yaml:14: steps[0].bind[1]: mountpoint is bound but the statement has no :mountpoint"),
                content.file("broken.yaml", sql).errors());
    }

    @Test
    void riskNone_mayOnlyNotifyAndHasNoVerification() {
        assertEquals(List.of(
                        "playbooks/broken.yaml:10: steps[0].executor: a playbook of risk none may only notify",
                        "playbooks/broken.yaml:14: verification: a playbook of risk none changes nothing and has nothing "
                                + "to verify"),
                content.file("broken.yaml", TestContent.base("risk: low", "risk: none")).errors());
    }

    @Test
    void verificationIsRequiredUnlessRiskIsNone() {
        String text = TestContent.BASE.substring(0, TestContent.BASE.indexOf("verification:"))
                + TestContent.BASE.substring(TestContent.BASE.indexOf("limits:"));
        assertEquals(List.of("playbooks/broken.yaml:1: verification: is required"),
                content.file("broken.yaml", text).errors());
    }

    @Test
    void urlTemplateMustKeepTheHostAHostname() {
        String http = TestContent.base("""
                    script: rotate-logs
                    args: ["--root", "{{mountpoint}}"]
                """, """
                    method: POST
                    url: "http://{{mountpoint}}/x"
                    expect_status: [200]
                """).replace("executor: exec", "executor: http");
        assertEquals(List.of("playbooks/broken.yaml:13: steps[0].url: the host must name a hostname parameter, "
                        + "mountpoint is a path"),
                content.file("broken.yaml", http).errors());
    }

    @Test
    @DisplayName("errors of several broken files are all reported together, in file order")
    void errorsOfSeveralFilesAreReportedTogether() {
        content.file("a-missing-script.yaml", TestContent.base("id: broken", "id: a-missing-script")
                        .replace("script: rotate-logs", "script: nope"))
                .file("b-bad-risk.yaml", TestContent.base("id: broken", "id: b-bad-risk")
                        .replace("risk: low", "risk: extreme").replace("{{host}}", "{{hots}}"))
                .file("c-fine.yaml", TestContent.base("id: broken", "id: c-fine"))
                .file("d-bad-yaml.yaml", "id: [\n")
                .file("e.yml", TestContent.BASE);
        List<String> errors = content.errors();
        assertEquals(List.of(
                "playbooks/e.yml: playbook files must end in .yaml",
                "playbooks/a-missing-script.yaml:12: steps[0].script: no such script playbooks/scripts/nope",
                "playbooks/b-bad-risk.yaml:4: risk: must be one of none, low, medium, high, was \"extreme\"",
                "playbooks/b-bad-risk.yaml:18: verification.all[0].match.host: unknown parameter {{hots}} "
                        + "(declared: host, mountpoint)"),
                errors.subList(0, 4));
        assertEquals(5, errors.size());
        assertTrue(errors.get(4).startsWith("playbooks/d-bad-yaml.yaml:1: invalid YAML"), errors.get(4));
    }

    @Test
    void catalogOfRefusesDuplicateIds() throws ContentException {
        Playbook p = content.file("broken.yaml", TestContent.BASE).playbook("broken");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PlaybookCatalog.of(List.of(p, p)));
        assertEquals("duplicate playbook id broken (playbooks/broken.yaml and playbooks/broken.yaml)", e.getMessage());
    }
}
