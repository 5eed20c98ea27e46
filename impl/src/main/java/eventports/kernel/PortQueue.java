package eventports.kernel;

import eventports.sched.KCondVar;
import eventports.sched.KMutex;
import eventports.sched.Sched;
import eventports.trace.Action;

import java.util.TreeMap;

/**
 * port_queue_t: the queue of a port and everything that synchronises on it.
 *
 * <p>portq_mutex protects every field below. Two lists hold queued events: the port queue
 * ({@code portqList}, count {@code portqNent}), to which sources append, and the temp list
 * ({@code portqGetList}, count {@code portqTnent}). A retriever takes PORTQ_BLOCKED (the
 * "second lock": a flag plus {@code portqBlockCv}, see {@link #portBlock}), moves the whole
 * port queue to the temp list in one splice, and then walks the temp list with the mutex
 * <em>released</em>, calling source callbacks that may be slow or deny delivery. Senders keep
 * appending to the (now empty) port queue meanwhile; that is the point of the design (seed
 * port.c:358-381, port.c:1347-1362). Before the retriever drops PORTQ_BLOCKED it pushes whatever is
 * left of the temp list back onto the tail of the port queue ({@link #portPushEventq}).
 *
 * <p>Invariants whenever portq_mutex is free: {@code portqNent} = length of portqList;
 * {@code portqTnent > 0} only while the PORTQ_BLOCKED holder is in its delivery phase;
 * {@code portqNget} = requested count of the head waiter (0 with no waiters);
 * {@code portqThrcnt} counts threads inside port_getn past the alert check; {@code portqGetn}
 * counts retrievers (from "portnowait" to the end of their exit section). While
 * {@code portqGetn > 0} a sender does not wake waiters (rule W1); the last retriever to leave
 * does it instead (rule W2).
 */
public final class PortQueue {
    final KMutex portqMutex;
    int portqFlags;
    final KeventList portqList = new KeventList();
    int portqNent;
    final KeventList portqGetList = new KeventList();
    int portqTnent;
    /** Head of the waiter ring, or null. */
    Waiter portqThread;
    int portqNget;
    int portqThrcnt;
    int portqGetn;
    /** Fix ScanGen: number of port_send_event enqueues (not in the seed). */
    long portqGen;
    final KCondVar portqClosecv;
    final KCondVar portqBlockCv;
    final Alert portqAlert = new Alert();
    final KMutex portqSourceMutex;
    /** portq_scache: associated sources, iterated in hash order like PORT_SHASH. */
    TreeMap<Integer, PortSource> portqScache = new TreeMap<>();

    PortQueue(Sched sched, int portId) {
        this.portqMutex = sched.newMutex("portq_mutex#" + portId);
        this.portqClosecv = sched.newCondVar("portq_closecv#" + portId);
        this.portqBlockCv = sched.newCondVar("portq_block_cv#" + portId);
        this.portqSourceMutex = sched.newMutex("portq_source_mutex#" + portId);
    }

    /**
     * port_block (port_subr.c): wait, not interruptibly, until no other thread holds PORTQ_BLOCKED,
     * then take it. Called with portq_mutex held; may release it while sleeping. Each return
     * from the sleep that finds the block still taken is a "port_block" step of its own; the
     * step that takes it is recorded by the caller, whose critical section it continues.
     * Returns whether the caller slept. {@code named}: a port_unblock that wakes this sleeper
     * names it in its record (the spec's port_block sleepers: a retriever, a per-process close's
     * port_discard_events, a count query); port_remove_done_event and port_free_event, whose
     * waits the spec folds into their steps, sleep unnamed.
     */
    boolean portBlock(Port pp, int pid, boolean named) {
        assert portqMutex.held() : "port_block: portq_mutex not held";
        boolean slept = false;
        while ((portqFlags & Ports.PORTQ_BLOCKED) != 0) {
            if (slept && pp.sys.tracer != null) {
                PortSubr.trace(pp, Action.PORT_BLOCK, pid, "taken", false);
            }
            portqBlockCv.await(portqMutex, pp.sys.tracer == null || !named ? null
                    : new BlockSleeper(pp.sys.sched.currentThreadName(), pid));
            slept = true;
        }
        portqFlags |= Ports.PORTQ_BLOCKED;
        return slept;
    }

    /**
     * port_unblock (port_subr.c): drop PORTQ_BLOCKED and wake one thread waiting for it. Mutex
     * held. Returns the thread it woke (null: none slept, or tracing is off), for the step's record
     * ({@link PortSubr#withBlockwoke}): without it TLC follows every sleeper the cv_signal might
     * have woken until a later record tells them apart.
     */
    BlockSleeper portUnblock() {
        assert portqMutex.held() : "port_unblock: portq_mutex not held";
        portqFlags &= ~Ports.PORTQ_BLOCKED;
        return (BlockSleeper) portqBlockCv.signal();
    }

    /** A thread asleep in port_block, as records name it: the tag of its cv_wait on portq_block_cv. */
    record BlockSleeper(String thread, int pid) {
    }

    /**
     * port_push_eventq (port_subr.c): append the temp list to the <em>tail</em> of the port queue (the
     * comment at port.c:1472-1474 says "top"; the list primitive moves to the tail). Mutex held.
     */
    void portPushEventq() {
        assert portqMutex.held() : "port_push_eventq: portq_mutex not held";
        portqList.moveTail(portqGetList);
        portqNent += portqTnent;
        portqTnent = 0;
    }

    /** Fix PushHead: put the temp list back in FRONT of the port queue (what port.c:1472-1474 says). */
    void portPushEventqHead() {
        assert portqMutex.held() : "port_push_eventq: portq_mutex not held";
        portqGetList.moveTail(portqList);
        portqList.moveTail(portqGetList);
        portqNent += portqTnent;
        portqTnent = 0;
    }

    boolean flag(int f) {
        return (portqFlags & f) != 0;
    }

    // ---- read-only views for tests and tools (take the mutex themselves) ------------------

    /** A consistent copy of the counters, for tests and invariant checks. */
    public Snapshot snapshot() {
        portqMutex.enter();
        try {
            int waiters = 0;
            Waiter w = portqThread;
            if (w != null) {
                do {
                    waiters++;
                    w = w.portgetNext;
                } while (w != portqThread);
            }
            return new Snapshot(portqNent, portqTnent, portqFlags, portqThrcnt, portqGetn, portqNget,
                    waiters, portqList.size());
        } finally {
            portqMutex.exit();
        }
    }

    /** Counters of a port queue at one moment. */
    public record Snapshot(int nent, int tnent, int flags, int thrcnt, int getn, int nget, int waiters,
                           int listLength) {
    }
}
