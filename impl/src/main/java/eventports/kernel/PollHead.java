package eventports.kernel;

import eventports.sched.KMutex;
import eventports.sched.Sched;

import java.util.ArrayList;
import java.util.List;

/**
 * pollhead_t (poll.c): the parties (polldat_t) waiting for readiness of one pollable object.
 * {@link #pollwakeup} notifies every party whose interest matches the events, and every party
 * when POLLHUP or POLLERR is among them. The list is guarded by the pollhead's own mutex
 * (PH_ENTER), which ranks above the notified party's locks.
 */
public final class PollHead {
    /** polldat_t: one party on a pollhead. */
    public interface Polldat {
        /** pd_events: the events this party is interested in. */
        int pdEvents();

        /** True while a notification would have an effect (an FD association that is armed). */
        boolean pdArmed();

        /** Called by pollwakeup with the pollhead's mutex held; must not sleep. */
        void pollnotify(int events);
    }

    private final KMutex phLock;
    private final List<Polldat> phList = new ArrayList<>();

    public PollHead(Sched sched, String name) {
        this.phLock = sched.newMutex("ph_lock#" + name);
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
        phLock.enter();
        try {
            for (Polldat pd : new ArrayList<>(phList)) {
                if ((pd.pdEvents() & events) != 0 || (events & (PollEvents.POLLHUP | PollEvents.POLLERR)) != 0) {
                    pd.pollnotify(events);
                }
            }
        } finally {
            phLock.exit();
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
