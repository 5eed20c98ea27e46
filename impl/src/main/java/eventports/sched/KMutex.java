package eventports.sched;

/** kmutex_t: mutex_enter / mutex_exit / MUTEX_HELD. */
public interface KMutex {
    void enter();

    void exit();

    /** MUTEX_HELD: true if the calling thread owns the mutex (for lock-discipline asserts). */
    boolean held();
}
