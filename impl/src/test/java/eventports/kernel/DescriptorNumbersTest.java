package eventports.kernel;

import eventports.sched.RealSched;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Descriptor numbers as a caller sees them (Proc.allocFd / install), which the scenarios name
 * but never compare: with no close in between, new descriptors are the lowest free numbers
 * above the three standard ones, as POSIX's open and dup give them; a number dup2 installed is
 * never handed out again (numbers are not reused), so it keeps its file. And port_getn into the
 * caller's own list returns the count, the list growing to hold a retrieval. Issue 19: PIT's mutants of these survived.
 */
class DescriptorNumbersTest {

    @Test
    void withoutACloseNewDescriptorsAreTheLowestFreeNumbers() throws Exception {
        PortSystem sys = new PortSystem(Profile.ILLUMOS, new RealSched());
        Proc p = sys.spawn();
        int a = p.portCreate();
        int b = p.portCreate();
        int c = p.dup(a);
        int d = p.fdOpen();
        assertEquals(List.of(3, 4, 5, 6), List.of(a, b, c, d));
    }

    @Test
    void aNumberDup2InstalledIsNotHandedOutAgain() throws Exception {
        PortSystem sys = new PortSystem(Profile.ILLUMOS, new RealSched());
        Proc p = sys.spawn();
        int a = p.portCreate();
        assertEquals(6, p.dup2(a, 6));
        int x = p.portCreate();
        int y = p.portCreate();
        int z = p.portCreate();
        assertEquals(5, List.of(a, 6, x, y, z).stream().distinct().count(),
                "five distinct descriptors: " + List.of(a, 6, x, y, z));
        p.portSend(6, 1, "via 6");
        assertEquals("via 6", p.portGet(a, Timeout.POLL).user(), "6 still refers to a's port");
    }

    @Test
    void portGetnIntoTheCallersListReturnsTheCount() throws Exception {
        PortSystem sys = new PortSystem(Profile.ILLUMOS, new RealSched());
        Proc p = sys.spawn();
        int fd = p.portCreate();
        for (int i = 0; i < 40; i++) {
            p.portSend(fd, i + 1, "e" + i);
        }
        PortEvents list = new PortEvents(1);                              // grows to hold them all
        assertEquals(40, p.portGetn(fd, list, 40, 40, Timeout.POLL));
        assertEquals(40, list.count());
        assertEquals("e39", list.user(39));
        assertEquals(40, list.events(39));
        assertEquals(Ports.PORT_SOURCE_USER, list.source(39));
    }
}
