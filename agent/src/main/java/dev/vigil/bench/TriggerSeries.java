package dev.vigil.bench;

import java.util.List;

/**
 * The series of one disk-full trigger: a 100 GiB filesystem on a host, with 1 % free 90 s ago and now. Encoded with the
 * same encoder as the background load. Stateless; thread-safe.
 */
final class TriggerSeries {
    static final double SIZE_BYTES = 100.0 * (1L << 30);
    static final long HELD_MILLIS = 90_000;

    private TriggerSeries() {
    }

    static byte[] body(String host, long timeMillis) {
        List<String[]> labels = List.of(new String[] {"device", "/dev/vdb1"}, new String[] {"fstype", "ext4"},
                new String[] {"instance", host + ":9100"}, new String[] {"job", "node"},
                new String[] {"mountpoint", "/srv/log"});
        byte[] size = RemoteWriteBody.labelFields("node_filesystem_size_bytes", labels);
        byte[] avail = RemoteWriteBody.labelFields("node_filesystem_avail_bytes", labels);
        return RemoteWriteBody.compressed(RemoteWriteBody.write(List.of(
                new RemoteWriteBody.Series(size, new double[] {SIZE_BYTES, SIZE_BYTES}, new long[] {timeMillis - HELD_MILLIS, timeMillis}),
                new RemoteWriteBody.Series(avail, new double[] {0.01 * SIZE_BYTES, 0.01 * SIZE_BYTES, 0.01 * SIZE_BYTES},
                        new long[] {timeMillis - HELD_MILLIS, timeMillis - HELD_MILLIS / 2, timeMillis}))));
    }
}
