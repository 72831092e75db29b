package dev.vigil.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.vigil.content.ContentException;
import dev.vigil.fact.Target;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Binding untrusted telemetry to typed parameters: valid values bind, hostile ones are refused with the reason. */
class ParameterBinderTest {
    private static final String POOL_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";

    static Map<String, String> bound(BindResult r) {
        return assertInstanceOf(BindResult.Bound.class, r, () -> "refused: " + r).values();
    }

    static List<String> refused(BindResult r) {
        return assertInstanceOf(BindResult.Refused.class, r, () -> "bound: " + r).reasons();
    }

    static BindResult recycle(String service, String host, String pool, Map<String, String> evidence)
            throws ContentException {
        return ParameterBinder.bind(Library.playbook("recycle-connection-pool"),
                Target.of("service", service, "host", host, "pool", pool), evidence);
    }

    static BindResult rotate(String mountpoint) throws ContentException {
        return ParameterBinder.bind(Library.playbook("rotate-and-compress-logs"),
                Target.of("host", "web-1", "mountpoint", mountpoint), Map.of());
    }

    @Test
    void validValuesBind_withDefaultsFilledIn() throws ContentException {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("service", "checkout");
        expected.put("host", "app-1");
        expected.put("pool", "HikariPool-1");
        expected.put("admin_port", "8081");
        Map<String, String> values = bound(recycle("checkout", "app-1", "HikariPool-1", Map.of()));
        assertEquals(expected, values);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(values.keySet()));
    }

    @Test
    void evidenceBindingsFillWhatTheTargetLacks_andTheTargetComesFirst() throws ContentException {
        Playbook p = Library.playbook("recycle-connection-pool");
        Map<String, String> fromEvidence = bound(ParameterBinder.bind(p, Target.serviceHost("checkout", "app-1"),
                Map.of("pool", "orders", "admin_port", "9090")));
        assertEquals("orders", fromEvidence.get("pool"));
        assertEquals("9090", fromEvidence.get("admin_port"));
        Map<String, String> fromTarget = bound(ParameterBinder.bind(p,
                Target.of("service", "checkout", "host", "app-1", "pool", "HikariPool-1"), Map.of("pool", "orders")));
        assertEquals("HikariPool-1", fromTarget.get("pool"));
    }

    @Test
    void shellMetacharacters_areRefused() throws ContentException {
        assertEquals(List.of("parameter pool: value \"; rm -rf /\" does not match " + POOL_PATTERN),
                refused(recycle("checkout", "app-1", "; rm -rf /", Map.of())));
        assertEquals(List.of("parameter pool: value \"a;rm -rf /\" does not match " + POOL_PATTERN),
                refused(recycle("checkout", "app-1", "a;rm -rf /", Map.of())));
    }

    @Test
    void commandSubstitution_isRefused() throws ContentException {
        assertEquals(List.of("parameter pool: value \"$(reboot)\" does not match " + POOL_PATTERN),
                refused(recycle("checkout", "app-1", "$(reboot)", Map.of())));
    }

    @Test
    void backticks_areRefused() throws ContentException {
        assertEquals(List.of("parameter pool: value \"`reboot`\" does not match " + POOL_PATTERN),
                refused(recycle("checkout", "app-1", "`reboot`", Map.of())));
    }

    @Test
    void relativeAndTraversingPaths_areRefused() throws ContentException {
        assertEquals(List.of("parameter mountpoint: value \"../../etc/passwd\" is not an absolute path"),
                refused(rotate("../../etc/passwd")));
        assertEquals(List.of("parameter mountpoint: value \"/var/log/../../etc/passwd\" contains a '..' segment"),
                refused(rotate("/var/log/../../etc/passwd")));
        assertEquals(List.of("parameter mountpoint: value \"/var/log//x\" is not a normalised path (no '.', '//' or "
                        + "trailing '/')"),
                refused(rotate("/var/log//x")));
    }

    @Test
    void pathOutsideTheRoots_isRefused() throws ContentException {
        assertEquals(List.of("parameter mountpoint: value \"/var/lib/postgresql\" is not under one of "
                        + "[/var/log, /srv/log]"),
                refused(rotate("/var/lib/postgresql")));
        assertEquals(List.of("parameter mountpoint: value \"/var/logs\" is not under one of [/var/log, /srv/log]"),
                refused(rotate("/var/logs")));
        assertEquals("/var/log/nginx", bound(rotate("/var/log/nginx")).get("mountpoint"));
    }

    @Test
    void newline_isRefusedAndQuotedEscaped() throws ContentException {
        assertEquals(List.of("parameter pool: value \"HikariPool-1\\nrm -rf /\" contains a control character"),
                refused(recycle("checkout", "app-1", "HikariPool-1\nrm -rf /", Map.of())));
        assertEquals(List.of("parameter mountpoint: value \"/var/log/a\\u0000b\" contains a control character"),
                refused(rotate("/var/log/a\0b")));
        assertEquals(List.of("parameter mountpoint: value \"/var/log/\\u202egol.exe\" contains a control character"),
                refused(rotate("/var/log/\u202egol.exe")));
    }

    @Test
    @DisplayName("a 100 KB value is refused, and the reason quotes only its first 80 characters")
    void hugeValue_isRefusedWithATruncatedQuote() throws ContentException {
        String huge = "A".repeat(100 * 1024);
        assertEquals(List.of("parameter pool: value \"" + "A".repeat(80) + "\"… is too long (102400 characters, at "
                        + "most 1024)"),
                refused(recycle("checkout", "app-1", huge, Map.of())));
    }

    @Test
    void outOfRangeInteger_isRefused() throws ContentException {
        assertEquals(List.of("parameter admin_port: value \"70000\" is above the maximum 65535"),
                refused(recycle("checkout", "app-1", "HikariPool-1", Map.of("admin_port", "70000"))));
        assertEquals(List.of("parameter admin_port: value \"0\" is below the minimum 1"),
                refused(recycle("checkout", "app-1", "HikariPool-1", Map.of("admin_port", "0"))));
        assertEquals(List.of("parameter admin_port: value \"80; reboot\" is not an integer"),
                refused(recycle("checkout", "app-1", "HikariPool-1", Map.of("admin_port", "80; reboot"))));
    }

    @Test
    void hostileHostname_isRefused() throws ContentException {
        assertEquals(List.of("parameter host: value \"app-1;reboot\" is not a host name or an IPv4 address"),
                refused(recycle("checkout", "app-1;reboot", "HikariPool-1", Map.of())));
        assertEquals(List.of("parameter host: value \"999.1.1.1\" is not a host name or an IPv4 address"),
                refused(recycle("checkout", "999.1.1.1", "HikariPool-1", Map.of())));
        assertEquals("10.0.0.7", bound(recycle("checkout", "10.0.0.7", "HikariPool-1", Map.of())).get("host"));
    }

    @Test
    void enumOutsideItsValues_isRefused() throws ContentException {
        BindResult r = ParameterBinder.bind(Library.playbook("restart-local-resolver"), Target.of("host", "app-7"),
                Map.of("resolver_unit", "sshd"));
        assertEquals(List.of("parameter unit: value \"sshd\" is not one of [systemd-resolved, dnsmasq, unbound, nscd]"),
                refused(r));
    }

    @Test
    void everyReasonIsReportedAtOnce() throws ContentException {
        assertEquals(List.of(
                        "parameter service: value \"Checkout!\" does not match ^[a-z0-9][a-z0-9._-]{0,62}$",
                        "parameter host: value \"-app\" is not a host name or an IPv4 address",
                        "parameter pool: value \"$(id)\" does not match " + POOL_PATTERN,
                        "parameter admin_port: value \"-1\" is below the minimum 1"),
                refused(recycle("Checkout!", "-app", "$(id)", Map.of("admin_port", "-1"))));
    }

    @Test
    void missingRequiredValue_isRefused() throws ContentException {
        assertEquals(List.of("parameter pool: no value from target.pool or evidence.pool, and no default"),
                refused(ParameterBinder.bind(Library.playbook("recycle-connection-pool"),
                        Target.serviceHost("checkout", "app-1"), Map.of())));
    }

    @Test
    void optionalParameterThatARunningStepNeeds_isRefused() throws ContentException {
        Playbook p = Library.playbook("rolling-restart-service");
        assertEquals(List.of("parameter host: no value from target.host or evidence.host, and step restart-instance needs it"),
                refused(ParameterBinder.bind(p, Target.service("inventory"), Map.of())));
        // with a namespace the Kubernetes step runs instead, which needs no host
        Map<String, String> k8s = bound(ParameterBinder.bind(p, Target.of("service", "inventory", "namespace", "prod"),
                Map.of()));
        assertEquals("prod", k8s.get("namespace"));
    }

    @Test
    void optionalParameterThatTheVerificationNames_mustBeBound(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws ContentException {
        Playbook p = new TestContent(dir).file("broken.yaml", TestContent.base(
                "host: {type: hostname, from: target.host}", "host: {type: hostname, from: target.host, required: false}"))
                .playbook("broken");
        assertEquals(List.of("parameter host: no value from target.host, and the verification needs it"),
                refused(ParameterBinder.bind(p, Target.of("mountpoint", "/var/log"), Map.of())));
    }

    @Test
    void evidenceBindingsMayBeNull() throws ContentException {
        assertEquals("app-7", bound(ParameterBinder.bind(Library.playbook("restart-local-resolver"),
                Target.of("host", "app-7"), null)).get("host"));
    }
}
