package dev.vigil.ingest;

/**
 * The limits every receiver enforces on untrusted input, before anything reaches the engine.
 *
 * @param maxBodyBytes        a request body as received (compressed or not); larger is refused with 413
 * @param maxDecodedBytes     a body after gzip or snappy decompression; larger is refused with 413 (a bomb)
 * @param maxLabelsPerSeries  labels (or resource + point attributes) on one series; the series is rejected past it
 * @param maxLabelNameBytes   one label or attribute name; the series or record is rejected past it
 * @param maxLabelValueBytes  one label or attribute value; the series or record is rejected past it
 * @param maxLogBodyBytes     one log body; a longer body is cut to this length (and counted)
 * @param maxItemsPerRequest  samples, records or spans in one request; the request is refused with 413 past it
 */
public record IngestLimits(int maxBodyBytes, int maxDecodedBytes, int maxLabelsPerSeries, int maxLabelNameBytes,
                           int maxLabelValueBytes, int maxLogBodyBytes, int maxItemsPerRequest) {
    public static final IngestLimits DEFAULTS =
            new IngestLimits(8 << 20, 32 << 20, 64, 256, 4096, 16 << 10, 500_000);

    public IngestLimits {
        positive("max_body_bytes", maxBodyBytes);
        positive("max_decoded_bytes", maxDecodedBytes);
        positive("max_labels_per_series", maxLabelsPerSeries);
        positive("max_label_name_bytes", maxLabelNameBytes);
        positive("max_label_value_bytes", maxLabelValueBytes);
        positive("max_log_body_bytes", maxLogBodyBytes);
        positive("max_items_per_request", maxItemsPerRequest);
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
