package dev.vigil.ingest;

import dev.vigil.fact.Labels;
import dev.vigil.fact.MetricSample;
import dev.vigil.fact.MetricType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the local host's CPU, memory, filesystems and file descriptors from {@code /proc} and {@code statfs}, under
 * the metric names node_exporter publishes, so the same rules work on either. Thread-safe (stateless between calls).
 *
 * <p>Filesystems: the real block-device mounts of {@code /proc/mounts} (pseudo filesystems are skipped, as
 * node_exporter does by default). Inode counts come from {@code statvfs(3)}; a filesystem that reports none (btrfs)
 * has no inode series, as with node_exporter.
 */
public final class HostProbe {
    private static final Set<String> PSEUDO_FS = Set.of("proc", "sysfs", "devtmpfs", "devpts", "tmpfs", "cgroup",
            "cgroup2", "securityfs", "pstore", "debugfs", "tracefs", "mqueue", "hugetlbfs", "configfs", "fusectl",
            "bpf", "autofs", "binfmt_misc", "rpc_pipefs", "nsfs", "overlay", "squashfs", "ramfs", "efivarfs", "fuse.lxcfs");

    private final Path proc;
    private final InstantSource clock;
    private final String host;

    public HostProbe(Path procRoot, InstantSource clock, String host) {
        this.proc = procRoot;
        this.clock = clock;
        this.host = host;
    }

    /** One probe of the host; a source that cannot be read is skipped and reported in {@code errors}. */
    public List<MetricSample> collect(List<String> errors) {
        long now = clock.millis();
        List<MetricSample> out = new ArrayList<>();
        read("cpu", errors, () -> cpu(now, out));
        read("memory", errors, () -> memory(now, out));
        read("file descriptors", errors, () -> fileDescriptors(now, out));
        read("filesystems", errors, () -> filesystems(now, out));
        return out;
    }

    private interface Reader {
        void run() throws IOException;
    }

    private static void read(String what, List<String> errors, Reader r) {
        try {
            r.run();
        } catch (IOException | RuntimeException e) {
            errors.add(what + ": " + e.getMessage());
        }
    }

    private MetricSample sample(String name, double value, MetricType type, long now, String... labels) {
        String[] all = new String[labels.length + 2];
        all[0] = "host";
        all[1] = host;
        System.arraycopy(labels, 0, all, 2, labels.length);
        return new MetricSample(name, Labels.of(all), value, type, now);
    }

    private void cpu(long now, List<MetricSample> out) throws IOException {
        String[] modes = {"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"};
        double ticks = 100.0; // USER_HZ is 100 on every Linux architecture that matters here
        for (String line : Files.readAllLines(proc.resolve("stat"), StandardCharsets.UTF_8)) {
            if (line.startsWith("cpu") && line.length() > 3 && Character.isDigit(line.charAt(3))) {
                String[] f = line.trim().split("\\s+");
                String cpu = f[0].substring(3);
                for (int i = 0; i < modes.length && i + 1 < f.length; i++) {
                    out.add(sample("node_cpu_seconds_total", Long.parseLong(f[i + 1]) / ticks, MetricType.COUNTER, now,
                            "cpu", cpu, "mode", modes[i]));
                }
            }
        }
    }

    private void memory(long now, List<MetricSample> out) throws IOException {
        for (String line : Files.readAllLines(proc.resolve("meminfo"), StandardCharsets.UTF_8)) {
            String[] f = line.split("[:\\s]+");
            if (f.length >= 2 && (f[0].equals("MemTotal") || f[0].equals("MemAvailable") || f[0].equals("MemFree")
                    || f[0].equals("SwapTotal") || f[0].equals("SwapFree"))) {
                double v = Double.parseDouble(f[1]) * (f.length > 2 && f[2].equals("kB") ? 1024 : 1);
                out.add(sample("node_memory_" + f[0] + "_bytes", v, MetricType.GAUGE, now));
            }
        }
    }

    private void fileDescriptors(long now, List<MetricSample> out) throws IOException {
        // line reads: Files.readString trusts the size /proc reports (0) and returns a single byte
        String[] f = String.join(" ", Files.readAllLines(proc.resolve("sys/fs/file-nr"), StandardCharsets.UTF_8)).trim().split("\\s+");
        out.add(sample("node_filefd_allocated", Double.parseDouble(f[0]), MetricType.GAUGE, now));
        out.add(sample("node_filefd_maximum", Double.parseDouble(f[2]), MetricType.GAUGE, now));
    }

    private void filesystems(long now, List<MetricSample> out) throws IOException {
        List<String> seen = new ArrayList<>();
        for (String line : Files.readAllLines(proc.resolve("mounts"), StandardCharsets.UTF_8)) {
            String[] f = line.split(" ");
            if (f.length < 4 || PSEUDO_FS.contains(f[2]) || seen.contains(f[1])) {
                continue;
            }
            String device = unescape(f[0]);
            String mountpoint = unescape(f[1]);
            seen.add(f[1]);
            FileStore store;
            try {
                store = Files.getFileStore(Path.of(mountpoint));
            } catch (IOException | SecurityException e) {
                continue; // unreadable mount (permissions, a stale network mount): skip it, as node_exporter does
            }
            String[] labels = {"device", device, "fstype", f[2], "mountpoint", mountpoint};
            out.add(sample("node_filesystem_size_bytes", store.getTotalSpace(), MetricType.GAUGE, now, labels));
            out.add(sample("node_filesystem_avail_bytes", store.getUsableSpace(), MetricType.GAUGE, now, labels));
            out.add(sample("node_filesystem_free_bytes", store.getUnallocatedSpace(), MetricType.GAUGE, now, labels));
            boolean ro = List.of(f[3].split(",")).contains("ro");
            out.add(sample("node_filesystem_readonly", ro ? 1 : 0, MetricType.GAUGE, now, labels));
            Inodes.of(mountpoint).ifPresent(inodes -> {
                out.add(sample("node_filesystem_files", inodes.files(), MetricType.GAUGE, now, labels));
                out.add(sample("node_filesystem_files_free", inodes.free(), MetricType.GAUGE, now, labels));
            });
        }
    }

    /** /proc/mounts escapes spaces and a few other characters as octal. */
    static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
