package eventports.report;

import java.util.List;
import java.util.Objects;

/**
 * Samples of one kind of duration, e.g. "conformance scenario, illumos" in ms: the report
 * shows their mean with a 95 % confidence interval and their distribution.
 */
public record TimingSeries(String name, String unit, List<Double> samples) {
    public TimingSeries {
        Objects.requireNonNull(name, "name");
        unit = unit == null ? "" : unit;
        samples = List.copyOf(samples);
    }

    public double[] values() {
        return samples.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
