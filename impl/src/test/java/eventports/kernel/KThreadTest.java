package eventports.kernel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * t_activefd (fio.c set_active_fd / clear_active_fd): a call's getf references, one entry per
 * reference, the latest dropped first. A call holds several only in port_sendn and in calls
 * made inside calls, where the corpus never drops one from the middle (issue 19: PIT's
 * mutants of clear_active_fd's compaction survived).
 */
class KThreadTest {

    @Test
    void clearActiveDropsTheLatestReferenceOfTheDescriptorAndKeepsTheOthersInOrder() {
        KThread kt = new KThread(null, new Object(), "T");
        UfEntry a3 = new UfEntry(null);
        UfEntry a4 = new UfEntry(null);
        UfEntry a5 = new UfEntry(null);
        UfEntry b3 = new UfEntry(null);
        kt.setActive(3, a3);
        kt.setActive(4, a4);
        kt.setActive(5, a5);                                             // grows past 2
        kt.setActive(3, b3);
        assertSame(a4, kt.clearActive(4));
        assertEquals(3, kt.nActive);
        assertFalse(kt.holds(4));
        assertSame(b3, kt.clearActive(3), "the latest reference on 3");
        assertTrue(kt.holds(3));
        assertSame(a5, kt.activeSlots[1]);
        assertEquals(5, kt.activeFds[1]);
        assertNull(kt.activeSlots[2], "a dropped slot is not kept");
        assertFalse(kt.holds(4), "entries past nActive are not references");
        assertSame(a3, kt.clearActive(3), "the first entry can go too");
        assertSame(a5, kt.activeSlots[0]);
        assertEquals(5, kt.activeFds[0]);
        assertNull(kt.clearActive(3));
        assertFalse(kt.holds(3), "a stale entry past nActive is not a reference");
        assertSame(a5, kt.clearActive(5));
        assertEquals(0, kt.nActive);
        assertFalse(kt.holds(5));
    }
}
