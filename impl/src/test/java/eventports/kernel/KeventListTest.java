package eventports.kernel;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** list_t operations the engine relies on (port.c:1375, port.c:1412-1415, port_subr.c port_push_eventq). */
class KeventListTest {
    private static List<Long> ids(KeventList l) {
        List<Long> r = new ArrayList<>();
        for (Kevent k = l.head(); k != null; k = l.next(k)) {
            r.add(k.id);
        }
        return r;
    }

    @Test
    void moveTailAppendsAllAndEmptiesTheSource() {
        KeventList a = new KeventList();
        KeventList b = new KeventList();
        a.insertTail(new Kevent(1));
        b.insertTail(new Kevent(2));
        b.insertTail(new Kevent(3));
        a.moveTail(b);
        assertEquals(List.of(1L, 2L, 3L), ids(a));
        assertTrue(b.isEmpty());
        assertEquals(3, a.size());
    }

    @Test
    void clearUnlinksEveryNodeSoThatAnotherListMayTakeIt() {
        KeventList a = new KeventList();
        Kevent k1 = new Kevent(1);
        Kevent k2 = new Kevent(2);
        a.insertTail(k1);
        a.insertTail(k2);
        a.clear();
        assertTrue(a.isEmpty());
        assertFalse(k1.linked || k2.linked);
        KeventList b = new KeventList();
        b.insertTail(k2);                   // a node still linked would be refused or keep a's links
        b.insertTail(k1);
        assertEquals(List.of(2L, 1L), ids(b));
    }

    @Test
    void insertAfterAndHeadKeepOrder() {
        KeventList l = new KeventList();
        Kevent k1 = new Kevent(1);
        Kevent k3 = new Kevent(3);
        l.insertTail(k1);
        l.insertTail(k3);
        l.insertAfter(k1, new Kevent(2));
        l.insertHead(new Kevent(0));
        assertEquals(List.of(0L, 1L, 2L, 3L), ids(l));
        l.remove(k3);
        l.remove(k1);
        assertEquals(List.of(0L, 2L), ids(l));
    }

    @Test
    void aNodeIsOnOneListAtATime() {
        KeventList l = new KeventList();
        Kevent k = new Kevent(1);
        l.insertTail(k);
        assertThrows(IllegalStateException.class, () -> l.insertTail(k));
        l.remove(k);
        assertThrows(IllegalStateException.class, () -> l.remove(k));
    }
}
