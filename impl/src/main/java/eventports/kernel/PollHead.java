package eventports.kernel;

import eventports.sched.KMutex;
import eventports.sched.Sched;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * pollhead_t (poll.c): the parties (polldat_t) waiting for readiness of one pollable object.
 * {@link #pollwakeup} notifies every party whose interest matches the events, and every party
 * when POLLHUP or POLLERR is among them. The list is guarded by the pollhead's own mutex
 * (PH_ENTER), which ranks above the notified party's locks.
 *
 * <p>A party may be an FD association of a port whose own descriptor is being polled (nested
 * ports): firing it queues an event on that port, whose pollers must hear of it too. poll.c
 * does not recurse for that (port_send_event leaves FD events to pollwakeup): the notified
 * party returns its port when {@code port_pollwkup} marked it PORTQ_POLLWK_PEND, and
 * pollwakeup, after dropping this pollhead's lock, goes on with that port's pollhead (the
 * plist of poll.c), calling {@code port_pollwkdone} before dropping that one's.
 */
public final class PollHead {
    /** polldat_t: one party on a pollhead. */
    public interface Polldat {
        /** pd_events: the events this party is interested in. */
        int pdEvents();

        /** True while a notification would have an effect (an FD association that is armed). */
        boolean pdArmed();

        /**
         * Called by pollwakeup with the pollhead's mutex held; must not sleep. Returns the port
         * whose own pollers pollwakeup must notify next (port_pollwkup set its
         * PORTQ_POLLWK_PEND), or null.
         */
        Port pollnotify(int events);
    }

    private final KMutex phLock;
    private final List<Polldat> phList = new ArrayList<>();
    /** Where {@link #pollwakeup} may stop between two pollheads (the conformance pause point). */
    private final Sched sched;

    public PollHead(Sched sched, String name) {
        this.phLock = sched.newMutex("ph_lock#" + name);
        this.sched = sched;
    }

    /** polldat_associate: put {@code pd} on the list (once). */
    public void polldatAssociate(Polldat pd) {
        phLock.enter();
        try {
            if (!phList.contains(pd)) {
                phList.add(pd);
            }
        } finally {
            phLock.exit();
        }
    }

    /** pollhead_delete: take {@code pd} off the list; no later pollwakeup reaches it. */
    public void pollheadDelete(Polldat pd) {
        phLock.enter();
        try {
            phList.remove(pd);
        } finally {
            phLock.exit();
        }
    }

    /** pollwakeup: {@code events} happened on the object. */
    public void pollwakeup(int events) {
        pollwakeupChain(this, events, new ArrayDeque<>());
    }

    /**
     * pollwakeup(&pp->port_pollhd, POLLIN) for a port that port_pollwkup just marked
     * PORTQ_POLLWK_PEND, then port_pollwkdone: the tail of poll.c's pollwakeup, for a caller
     * that queued an FD event outside pollwakeup (fix AssocPollwkup).
     */
    public static void pollwakeupPort(Port pp) {
        Deque<Port> plist = new ArrayDeque<>();
        plist.add(pp);
        pollwakeupChain(pp.portPollhd, PollEvents.POLLIN, plist);
    }

    /** poll.c pollwakeup's loop ("goto retry" over the plist of ports to notify). */
    private static void pollwakeupChain(PollHead php, int events, Deque<Port> plist) {
        for (;;) {
            php.phLock.enter();
            try {
                for (Polldat pd : new ArrayList<>(php.phList)) {
                    if ((pd.pdEvents() & events) != 0 || (events & (PollEvents.POLLHUP | PollEvents.POLLERR)) != 0) {
                        Port pp = pd.pollnotify(events);
                        if (pp != null) {
                            plist.addLast(pp);
                        }
                    }
                }
                // port_pollwkdone before PH_EXIT, so that no new poller joins meanwhile
                if (!plist.isEmpty() && plist.peekFirst().portPollhd == php) {
                    PortSubr.portPollwkdone(plist.removeFirst());
                }
            } finally {
                php.phLock.exit();
            }
            if (plist.isEmpty()) {
                return;
            }
            // between two pollheads the caller holds no lock: the pause point of the chain
            php.sched.pausePoint("pollwakeup");
            php = plist.peekFirst().portPollhd;
            events = PollEvents.POLLIN;
        }
    }

    /** The union of the interest of the armed parties: what a poller of the object must watch. */
    public int armedInterest() {
        phLock.enter();
        try {
            int ev = 0;
            for (Polldat pd : phList) {
                if (pd.pdArmed()) {
                    ev |= pd.pdEvents();
                }
            }
            return ev;
        } finally {
            phLock.exit();
        }
    }
}
