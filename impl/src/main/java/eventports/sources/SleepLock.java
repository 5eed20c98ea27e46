package eventports.sources;

import eventports.sched.KCondVar;
import eventports.sched.KMutex;
import eventports.sched.Sched;

/**
 * A kmutex_t that may be held across a sleep (illumos' adaptive mutex, whose waiters block):
 * a flag guarded by a short mutex, with a condition variable for the waiters. The sources use
 * it for the locks they hold while port_block may sleep (pc_lock in port_remove_done_event),
 * so that a second thread wanting the lock sleeps too — on the deterministic runtime a plain
 * KMutex must never be contended.
 */
final class SleepLock {
    private final KMutex m;
    private final KCondVar cv;
    private boolean owned;
    private Thread owner;

    SleepLock(Sched sched, String name) {
        this.m = sched.newMutex(name + ".m");
        this.cv = sched.newCondVar(name + ".cv");
    }

    void enter() {
        m.enter();
        while (owned) {
            cv.await(m);
        }
        owned = true;
        owner = Thread.currentThread();
        m.exit();
    }

    void exit() {
        m.enter();
        owned = false;
        owner = null;
        cv.signal();
        m.exit();
    }

    /**
     * cv_wait(&c, &lock) with this lock as the mutex: release it, sleep on {@code c}, take it
     * again. {@code c} must be waited on and signalled only through this lock.
     */
    void await(KCondVar c) {
        m.enter();
        owned = false;
        owner = null;
        cv.signal();
        c.await(m);
        while (owned) {
            cv.await(m);
        }
        owned = true;
        owner = Thread.currentThread();
        m.exit();
    }

    /** cv_signal(&c) by the holder of this lock. */
    void signal(KCondVar c) {
        m.enter();
        c.signal();
        m.exit();
    }

    /** MUTEX_HELD. */
    boolean held() {
        m.enter();
        try {
            return owned && owner == Thread.currentThread();
        } finally {
            m.exit();
        }
    }
}
