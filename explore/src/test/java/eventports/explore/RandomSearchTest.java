package eventports.explore;

import eventports.kernel.Profile;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The random search in both profiles, every run's trace validated by TLC: {@code illumos} has
 * no failure (its known defects are counted, and some must show up: the checks are on),
 * {@code corrected} has none at all.
 * 600 programs per profile here, 51,000 with -Pexhaustive.
 */
class RandomSearchTest {
    private static Explorer.ProfileSummary search(Profile p) {
        Explorer.Config c = new Explorer.Config();
        c.profiles = List.of(p);
        c.programs = Budget.of(600, 51_000);
        c.seed = 20261127L;
        c.progress = System.out;
        c.progressMillis = 15_000;
        // every run's trace is validated against spec/EventPort.tla, a batch of runs per TLC start
        c.traceValidator = new TlcTraceCheck();
        Explorer.ProfileSummary s = new Explorer(c).run().profiles().get(0);
        System.out.println("RandomSearchTest " + s.line() + ", " + s.traceRecords + " trace records, "
                + s.tracesValidated + " traces validated");
        s.firstSeen.forEach((prop, run) -> System.out.println("  " + prop.id() + " first in " + run));
        if (s.failure != null) {
            System.out.println(s.failure.report());
        }
        assertTrue(s.programs >= c.programs * 9 / 10, "programs run: " + s.programs);
        assertTrue(s.tracesValidated >= s.programs * 9 / 10, "traces validated: " + s.tracesValidated);
        return s;
    }

    @Test
    void illumosHasOnlyTheSeedsKnownDefects() {
        Explorer.ProfileSummary s = search(Profile.ILLUMOS);
        assertNull(s.failure, () -> s.failure.report());
        assertFalse(s.known.isEmpty(), "the search should meet some of the seed's known defects");
    }

    @Test
    void correctedHasNoViolation() {
        Explorer.ProfileSummary s = search(Profile.CORRECTED);
        assertNull(s.failure, () -> s.failure.report());
        assertTrue(s.known.isEmpty(), "nothing is KNOWN in corrected: " + s.known);
        if (!s.pending.isEmpty()) {
            System.out.println("corrected: violations pending fixes not in the core: " + s.pending);
        }
    }
}
