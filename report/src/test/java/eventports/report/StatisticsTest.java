package eventports.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's statistics against values worked out by hand. */
class StatisticsTest {
    private static final double EPS = 1e-6;

    @Test
    void meanSdAndConfidenceIntervalOfFiveSamples() {
        // mean 3; s² = (4+1+0+1+4)/4 = 2.5; t(0.975, 4) = 2.776445105; half = t·√2.5/√5 = t·√0.5
        SampleStats s = SampleStats.of(new double[] {1, 2, 3, 4, 5});
        double half = 2.776445105 * Math.sqrt(0.5);
        assertEquals(5, s.n());
        assertEquals(3.0, s.mean(), EPS);
        assertEquals(Math.sqrt(2.5), s.sd(), EPS);
        assertEquals(3.0 - half, s.ciLow(), EPS);
        assertEquals(3.0 + half, s.ciHigh(), EPS);
        assertEquals(1.963243, half, EPS);
        assertEquals(1.0, s.min(), EPS);
        assertEquals(3.0, s.median(), EPS);
        assertEquals(5.0, s.max(), EPS);
    }

    @Test
    void twoSamplesUseTheWideTOfOneDegreeOfFreedom() {
        // mean 11, s = √2, t(0.975, 1) = 12.7062047; half = t·√2/√2 = t
        SampleStats s = SampleStats.of(new double[] {10, 12});
        assertEquals(11.0 - 12.7062047, s.ciLow(), 1e-6);
        assertEquals(11.0 + 12.7062047, s.ciHigh(), 1e-6);
    }

    @Test
    void oneSampleHasNoIntervalAndNoneHasNoMean() {
        SampleStats one = SampleStats.of(new double[] {7});
        assertEquals(7.0, one.mean(), EPS);
        assertTrue(Double.isNaN(one.ciLow()) && Double.isNaN(one.ciHigh()) && Double.isNaN(one.sd()));
        assertTrue(Double.isNaN(SampleStats.of(new double[0]).mean()));
    }

    @Test
    void histogramUsesSturgesBinsAndPutsTheMaximumInTheLastBin() {
        // n = 10: ⌈log2 10⌉ + 1 = 5 bins of width (4 - 1) / 5 = 0.6 from 1
        Histogram h = Histogram.of(new double[] {1, 2, 2, 3, 3, 3, 4, 4, 4, 4});
        assertEquals(List.of(1, 2, 0, 3, 4), h.bins().stream().map(Histogram.Bin::count).toList());
        assertEquals(1.0, h.bins().get(0).low(), EPS);
        assertEquals(1.6, h.bins().get(0).high(), EPS);
        assertEquals(4.0, h.bins().get(4).high(), EPS);
        assertEquals(4, h.maxCount());
    }

    @Test
    void histogramOfEqualSamplesIsOneBin() {
        Histogram h = Histogram.of(new double[] {2.5, 2.5, 2.5});
        assertEquals(1, h.bins().size());
        assertEquals(3, h.bins().get(0).count());
        assertTrue(Histogram.of(new double[0]).bins().isEmpty());
    }

    @Test
    void overallVerdictFailsOnAnyFailureAndOnlyThen() {
        assertEquals(Verdict.PASS, Verdict.overall(List.of(Verdict.PASS, Verdict.PASS)));
        assertEquals(Verdict.EXPECTED, Verdict.overall(List.of(Verdict.PASS, Verdict.EXPECTED)));
        assertEquals(Verdict.FAIL, Verdict.overall(List.of(Verdict.EXPECTED, Verdict.FAIL, Verdict.PASS)));
    }
}
