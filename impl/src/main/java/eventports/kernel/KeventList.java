package eventports.kernel;

/**
 * list_t of port_kevent_t, intrusive like illumos' list(9F): a node knows its neighbours, so
 * removal and "insert after the last checked event" (port.c:1412-1415) are O(1), and moving a
 * whole list (list_move_tail) is one splice — the reason the temp list is cheap (port.c:1375).
 */
final class KeventList {
    private Kevent head;
    private Kevent tail;

    Kevent head() {
        return head;
    }

    boolean isEmpty() {
        return head == null;
    }

    /** port_get_kevent (port.c:1734-1741): the head if {@code last} is null, else its successor. */
    Kevent next(Kevent last) {
        return last == null ? head : last.next;
    }

    void insertTail(Kevent k) {
        link(k, tail, null);
    }

    void insertHead(Kevent k) {
        link(k, null, head);
    }

    void insertAfter(Kevent after, Kevent k) {
        link(k, after, after.next);
    }

    private void link(Kevent k, Kevent before, Kevent after) {
        if (k.linked) {
            throw new IllegalStateException(k + " is already on a list");
        }
        k.linked = true;
        k.prev = before;
        k.next = after;
        if (before == null) {
            head = k;
        } else {
            before.next = k;
        }
        if (after == null) {
            tail = k;
        } else {
            after.prev = k;
        }
    }

    void remove(Kevent k) {
        if (!k.linked) {
            throw new IllegalStateException(k + " is not on a list");
        }
        if (k.prev == null) {
            head = k.next;
        } else {
            k.prev.next = k.next;
        }
        if (k.next == null) {
            tail = k.prev;
        } else {
            k.next.prev = k.prev;
        }
        k.prev = k.next = null;
        k.linked = false;
    }

    /** list_move_tail(this, src): append all of {@code src} to this list in O(1); src is emptied. */
    void moveTail(KeventList src) {
        if (src.head == null) {
            return;
        }
        if (tail == null) {
            head = src.head;
        } else {
            tail.next = src.head;
            src.head.prev = tail;
        }
        tail = src.tail;
        src.head = src.tail = null;
    }

    /** Forget every node (the LOST_PUSHBACK fault). */
    void clear() {
        for (Kevent k = head; k != null; ) {
            Kevent n = k.next;
            k.prev = k.next = null;
            k.linked = false;
            k = n;
        }
        head = tail = null;
    }

    int size() {
        int n = 0;
        for (Kevent k = head; k != null; k = k.next) {
            n++;
        }
        return n;
    }
}
