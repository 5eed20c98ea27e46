package eventports.explore;

import eventports.kernel.FileObj;
import eventports.kernel.Kevent;
import eventports.kernel.Port;
import eventports.kernel.PortQueue;
import eventports.kernel.Proc;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * Read-only looks into the core that its public API does not offer yet: the port behind a
 * descriptor, the order of the port queue and of the waiter ring (for state hashing in the
 * systematic mode). Reflection, so it degrades: when a member is missing (the core changed),
 * the answer is null and callers fall back (no pruning), never a wrong answer.
 *
 * <p>Wanted in the core instead: {@code PortQueue.queuedUsers()}, {@code PortQueue.waiterThreads()}.
 * The port behind a descriptor comes from the public look-up {@code Proc.file}.
 */
final class CoreProbe {
    private CoreProbe() {
    }

    private static final Field PORTQ_LIST = field(PortQueue.class, "portqList");
    private static final Field PORTQ_THREAD = field(PortQueue.class, "portqThread");
    private static final Field LIST_HEAD = PORTQ_LIST == null ? null : field(PORTQ_LIST.getType(), "head");
    private static final Field KEV_NEXT = field(Kevent.class, "next");
    private static final Class<?> WAITER = PORTQ_THREAD == null ? null : PORTQ_THREAD.getType();
    private static final Field W_NEXT = WAITER == null ? null : field(WAITER, "portgetNext");
    private static final Field W_THREAD = WAITER == null ? null : field(WAITER, "thread");
    private static final Field W_STATE = WAITER == null ? null : field(WAITER, "portgetState");

    private static Field field(Class<?> c, String name) {
        try {
            Field f = c.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The port behind {@code fd} in {@code p}, or null. */
    static Port port(Proc p, int fd) {
        FileObj f = p.file(fd);
        return f != null && f.vnode() instanceof Port ? (Port) f.vnode() : null;
    }

    /** The user values of the port queue, head first; null if not observable. Driver only, between steps. */
    static List<Object> queueUsers(Port pp) {
        if (PORTQ_LIST == null || LIST_HEAD == null || KEV_NEXT == null) {
            return null;
        }
        try {
            Object list = PORTQ_LIST.get(pp.queue());
            List<Object> users = new ArrayList<>();
            for (Kevent k = (Kevent) LIST_HEAD.get(list); k != null; k = (Kevent) KEV_NEXT.get(k)) {
                users.add(k.portkevUser);
                if (users.size() > 10_000) {
                    return null;
                }
            }
            return users;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The waiter ring from the head, as "thread/state"; null if not observable. */
    static List<String> waiters(Port pp) {
        if (PORTQ_THREAD == null || W_NEXT == null || W_THREAD == null || W_STATE == null) {
            return null;
        }
        try {
            Object head = PORTQ_THREAD.get(pp.queue());
            List<String> l = new ArrayList<>();
            if (head == null) {
                return l;
            }
            Object w = head;
            do {
                l.add(W_THREAD.get(w) + "/" + W_STATE.get(w));
                w = W_NEXT.get(w);
                if (l.size() > 1000) {
                    return null;
                }
            } while (w != head && w != null);
            return l;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
