package eventports.stress;

import eventports.kernel.Fix;
import eventports.kernel.Layer;
import eventports.kernel.Profile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real-thread stress of the whole port protocol with every event accounted for (issue 2,
 * "Tests"); see {@link StressRun} for what runs and which seed paths drop events.
 *
 * <p>Defaults: seed {@value #DEFAULT_SEED}, {@value #DEFAULT_MILLIS} ms of load per profile.
 * A longer or different run: {@code -Deventports.stress.millis=60000 -Deventports.stress.seed=7}
 * (the seed fixes every random choice; the interleaving is the JVM's). No timing is asserted.
 */
class PortStressTest {
    static final long DEFAULT_SEED = 20261127L;
    static final long DEFAULT_MILLIS = 5000;

    private static long seed() {
        return Long.getLong("eventports.stress.seed", DEFAULT_SEED);
    }

    private static long millis() {
        return Long.getLong("eventports.stress.millis", DEFAULT_MILLIS);
    }

    private static StressRun.Figures run(Profile profile, Layer layer) throws Exception {
        StressRun r = new StressRun(profile, layer, seed(), millis(), null);
        StressRun.Figures f = r.run();
        System.out.println(f + " | accounting " + r.checkMillis + "ms");
        assertEquals(0, f.duplicates());
        assertEquals(f.sent(), f.delivered() + f.drained() + f.discarded() + f.lost());
        assertTrue(f.sent() > 0 && f.delivered() > 0, "nothing was exchanged: " + f);
        return f;
    }

    /**
     * ILLUMOS, stock illumos (the descriptor layer on): the closes of the cycle ports evict the
     * getters of the closing process first (fio.c closeandsetf), so a last close never finds a
     * thread inside port_getn — on real threads too — and nothing is lost to the seed's
     * last-close defects (port.c:1491-1500, 1720).
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void illumosProfileAccountsForEveryEvent() throws Exception {
        StressRun.Figures f = run(Profile.ILLUMOS, Layer.DESCRIPTORS);
        assertEquals(0, f.maxThrcntAtLastClose(), "a last close found a thread in port_getn: " + f);
        assertEquals(0, f.lost(), "no last close has a retriever to drop events: " + f);
    }

    /**
     * ILLUMOS, portfs on its own: a last close never races with more than one thread inside
     * port_getn (thrcnt &lt;= 1), which keeps the seed's NULL dereference (port.c:1720) and the
     * stranded closer (port.c:1297-1308, port.c:1501) out of reach while still letting a lone
     * retriever be last out of a closing port and drop its events (port.c:1491-1500): those show
     * up as lost.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void illumosPortfsAccountsForEveryEvent() throws Exception {
        StressRun.Figures f = run(Profile.ILLUMOS, Layer.PORTFS);
        assertTrue(f.maxThrcntAtLastClose() <= 1, "a last close raced with two threads: " + f);
    }

    /**
     * CORRECTED, portfs on its own (the close protocol under stress): the last closes of the
     * cycle ports race with up to four getters inside port_get(n), with alert mode on some of
     * them. The run must survive it (no SeedCrash, nobody stuck) with every event accounted
     * for; with CloseCopyout the last thread out of a closing port returns its events, so
     * nothing should be lost.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void correctedProfileAccountsForEveryEventWithRacingLastCloses() throws Exception {
        StressRun.Figures f = run(Profile.CORRECTED, Layer.PORTFS);
        if (Profile.CORRECTED.fixes(Fix.CLOSE_COPYOUT)) {
            assertEquals(0, f.lost(), "CloseCopyout: the last thread out returns its events");
        }
    }
}
