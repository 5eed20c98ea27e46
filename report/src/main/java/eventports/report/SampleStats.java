package eventports.report;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * Summary of one {@link TimingSeries}: the mean with its 95 % confidence interval (Student's t,
 * since samples are few and the variance is estimated), the sample standard deviation and the
 * quantiles. With fewer than two samples the interval is undefined (NaN).
 */
public record SampleStats(long n, double mean, double ciLow, double ciHigh, double sd,
                          double min, double median, double p90, double max) {

    public static final double CONFIDENCE = 0.95;

    public static SampleStats of(double[] samples) {
        DescriptiveStatistics d = new DescriptiveStatistics(samples);
        long n = d.getN();
        if (n == 0) {
            return new SampleStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = d.getMean();
        double half = halfWidth(n, d.getStandardDeviation());
        return new SampleStats(n, mean, mean - half, mean + half, n > 1 ? d.getStandardDeviation() : Double.NaN,
                d.getMin(), d.getPercentile(50), d.getPercentile(90), d.getMax());
    }

    /** t(1 - α/2, n - 1) · s / √n: half the width of the confidence interval of the mean. */
    static double halfWidth(long n, double sd) {
        if (n < 2) {
            return Double.NaN;
        }
        double t = new TDistribution(n - 1).inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2);
        return t * sd / Math.sqrt(n);
    }
}
