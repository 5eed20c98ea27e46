package eventports.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Equal-width bins from the minimum to the maximum; Sturges' rule (⌈log2 n⌉ + 1 bins, at most
 * {@link #MAX_BINS}) keeps the table short for the few hundred samples a check run produces.
 * Bins are [low, high) except the last, which includes the maximum.
 */
public record Histogram(List<Bin> bins) {

    public static final int MAX_BINS = 12;

    public record Bin(double low, double high, int count) {}

    public static Histogram of(double[] samples) {
        if (samples.length == 0) {
            return new Histogram(List.of());
        }
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (double x : samples) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        int k = max == min ? 1 : Math.min(MAX_BINS, (int) Math.ceil(Math.log(samples.length) / Math.log(2)) + 1);
        double width = (max - min) / k;
        int[] counts = new int[k];
        for (double x : samples) {
            int i = width == 0 ? 0 : (int) Math.floor((x - min) / width);
            counts[Math.min(k - 1, i)]++;
        }
        List<Bin> bins = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            bins.add(new Bin(min + i * width, i == k - 1 ? max : min + (i + 1) * width, counts[i]));
        }
        return new Histogram(List.copyOf(bins));
    }

    public int maxCount() {
        return bins.stream().mapToInt(Bin::count).max().orElse(0);
    }
}
