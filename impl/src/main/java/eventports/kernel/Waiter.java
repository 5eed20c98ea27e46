package eventports.kernel;

import eventports.sched.KCondVar;

/**
 * portget_t: a thread sleeping in port_getn, a member of the port's circular waiter ring
 * (portq_thread). Each waiter sleeps on its own condition variable, so the wake rules can
 * signal exactly the head (W1, W2) or every waiter (port_alert).
 */
final class Waiter {
    int portgetState;
    final int portgetNget;
    final int portgetPid;
    final String thread;
    final KCondVar portgetCv;
    final Alert portgetAlert = new Alert();
    Waiter portgetNext;
    Waiter portgetPrev;

    Waiter(int nget, int pid, String thread, KCondVar cv) {
        this.portgetNget = nget;
        this.portgetPid = pid;
        this.thread = thread;
        this.portgetCv = cv;
    }
}
