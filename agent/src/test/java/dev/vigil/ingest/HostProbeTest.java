package dev.vigil.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.fact.MetricSample;
import dev.vigil.fact.MetricType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import dev.vigil.testing.FakeProc;
import org.junit.jupiter.api.io.TempDir;

class HostProbeTest {
    @Test
    void readsCpuMemoryFdsAndFilesystemsUnderNodeExporterNames(@TempDir Path tmp) throws IOException {
        Path mount = Files.createDirectories(tmp.resolve("data dir"));
        HostProbe probe = new HostProbe(FakeProc.create(tmp.resolve("proc"), mount), InstantSource.fixed(Instant.ofEpochMilli(5_000)), "h1");
        List<String> errors = new ArrayList<>();
        List<MetricSample> samples = probe.collect(errors);
        assertEquals(List.of(), errors);

        MetricSample idle = find(samples, "node_cpu_seconds_total", "mode", "idle");
        assertEquals(10.0, idle.value(), 1e-9, "1000 ticks at USER_HZ 100");
        assertEquals(MetricType.COUNTER, idle.type());
        assertEquals("0", idle.labels().get("cpu"));
        assertEquals(8000 * 1024.0, find(samples, "node_memory_MemAvailable_bytes", null, null).value());
        assertEquals(356, find(samples, "node_filefd_allocated", null, null).value());
        assertEquals(2466170, find(samples, "node_filefd_maximum", null, null).value());

        MetricSample size = find(samples, "node_filesystem_size_bytes", "mountpoint", mount.toString());
        assertTrue(size.value() > 0);
        assertEquals("h1", size.labels().get("host"));
        assertEquals(1, find(samples, "node_filesystem_readonly", "mountpoint", mount.toString()).value(), "mounted ro");
        assertTrue(samples.stream().noneMatch(s -> "/proc".equals(s.labels().get("mountpoint"))), "pseudo filesystems skipped");
        assertTrue(samples.stream().allMatch(s -> s.timeMillis() == 5_000));
    }

    @Test
    void inodeCountsAreTheOnesStatfsReportsForTheMount(@TempDir Path tmp) throws IOException, InterruptedException {
        Path mount = Files.createDirectories(tmp.resolve("data"));
        HostProbe probe = new HostProbe(FakeProc.create(tmp.resolve("proc"), mount), InstantSource.fixed(Instant.ofEpochMilli(5_000)), "h1");
        List<MetricSample> samples = probe.collect(new ArrayList<>());

        // coreutils asks the same system call: total and free inodes of the filesystem holding the directory
        Process stat = new ProcessBuilder("stat", "-f", "-c", "%c %d", mount.toString()).start();
        String[] expected = new String(stat.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim().split(" ");
        assertEquals(0, stat.waitFor());
        long files = Long.parseLong(expected[0]);
        if (files == 0) {
            assertTrue(samples.stream().noneMatch(s -> s.name().startsWith("node_filesystem_files")),
                    "a filesystem without inode accounting has no inode series");
            return;
        }
        assertEquals(files, find(samples, "node_filesystem_files", "mountpoint", mount.toString()).value());
        double free = find(samples, "node_filesystem_files_free", "mountpoint", mount.toString()).value();
        assertEquals(Long.parseLong(expected[1]), free, 1000, "free inodes (other processes may create files meanwhile)");
        assertTrue(free <= files);
    }

    @Test
    void anUnreadableSourceIsReportedAndTheOthersStillCount(@TempDir Path tmp) throws IOException {
        Path proc = FakeProc.create(tmp.resolve("proc"), tmp);
        Files.delete(proc.resolve("meminfo"));
        List<String> errors = new ArrayList<>();
        List<MetricSample> samples = new HostProbe(proc, InstantSource.fixed(Instant.EPOCH), "h1").collect(errors);
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).startsWith("memory: "), errors.toString());
        assertTrue(samples.stream().anyMatch(s -> s.name().equals("node_cpu_seconds_total")));
    }

    private static MetricSample find(List<MetricSample> samples, String name, String label, String value) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && (label == null || value.equals(s.labels().get(label))))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " " + label + "=" + value + " in " + samples));
    }
}
